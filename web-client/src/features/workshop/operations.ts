import { graphql } from '../../gql';

export const WorkshopProductsQuery = graphql(`
  query WorkshopProducts {
    products(first: 50) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

/** QueueCountsQuery counts each status under the same filters (one where per status). */
export const QueueCountsQuery = graphql(`
  query WorkshopQueueCounts($all: OrderWhereInput!, $active: OrderWhereInput!, $placed: OrderWhereInput!, $confirmed: OrderWhereInput!, $proofSent: OrderWhereInput!, $revisionRequested: OrderWhereInput!, $approved: OrderWhereInput!, $materials: OrderWhereInput!, $crafting: OrderWhereInput!, $finishing: OrderWhereInput!, $qualityCheck: OrderWhereInput!, $shipped: OrderWhereInput!, $delivered: OrderWhereInput!, $cancelled: OrderWhereInput!) {
    all: orders(first: 1, where: $all) {
      totalCount
    }
    active: orders(first: 1, where: $active) {
      totalCount
    }
    placed: orders(first: 1, where: $placed) {
      totalCount
    }
    confirmed: orders(first: 1, where: $confirmed) {
      totalCount
    }
    proofSent: orders(first: 1, where: $proofSent) {
      totalCount
    }
    revisionRequested: orders(first: 1, where: $revisionRequested) {
      totalCount
    }
    approved: orders(first: 1, where: $approved) {
      totalCount
    }
    materials: orders(first: 1, where: $materials) {
      totalCount
    }
    crafting: orders(first: 1, where: $crafting) {
      totalCount
    }
    finishing: orders(first: 1, where: $finishing) {
      totalCount
    }
    qualityCheck: orders(first: 1, where: $qualityCheck) {
      totalCount
    }
    shipped: orders(first: 1, where: $shipped) {
      totalCount
    }
    delivered: orders(first: 1, where: $delivered) {
      totalCount
    }
    cancelled: orders(first: 1, where: $cancelled) {
      totalCount
    }
  }
`);

/** COUNT_STATUSES maps the count query's aliases to the queue's status choices. */
export const COUNT_STATUSES: [string, string][] = [
  ['all', 'ALL'],
  ['active', 'ACTIVE'],
  ['placed', 'PLACED'],
  ['confirmed', 'CONFIRMED'],
  ['proofSent', 'PROOF_SENT'],
  ['revisionRequested', 'REVISION_REQUESTED'],
  ['approved', 'APPROVED'],
  ['materials', 'MATERIALS'],
  ['crafting', 'CRAFTING'],
  ['finishing', 'FINISHING'],
  ['qualityCheck', 'QUALITY_CHECK'],
  ['shipped', 'SHIPPED'],
  ['delivered', 'DELIVERED'],
  ['cancelled', 'CANCELLED'],
];

export const QueueQuery = graphql(`
  query WorkshopQueue($where: OrderWhereInput!, $first: Int!) {
    orders(first: $first, where: $where) {
      totalCount
      edges {
        node {
          id
          number
          status
          createdAt
          customerName
          customerEmail
          quantity
          leadTime {
            shipsEarliest
            shipsLatest
          }
          total {
            amount
            currency
          }
          amountPaid {
            amount
            currency
          }
          product {
            id
            name
          }
        }
      }
    }
  }
`);

export const QueueLiveSubscription = graphql(`
  subscription WorkshopQueueLive {
    orderQueueChanged {
      orderId
      status
    }
  }
`);

export const WorkshopOrderQuery = graphql(`
  query WorkshopOrder($id: ID!) {
    order(id: $id) {
      id
      number
      status
      createdAt
      catalogVersion
      quantity
      currency
      customerName
      customerEmail
      trackingNumber
      shipsEarliest
      shipsLatest
      total {
        amount
        currency
      }
      depositDue {
        amount
        currency
      }
      balanceDue {
        amount
        currency
      }
      amountPaid {
        amount
        currency
      }
      shippingAddress {
        name
        line1
        line2
        city
        postalCode
        region
        country
      }
      selections {
        group
        groupName
        option
        optionName
        text
      }
      priceLines {
        label
        amount {
          amount
          currency
        }
      }
      leadTime {
        minBusinessDays
        maxBusinessDays
        shipsEarliest
        shipsLatest
      }
      previewSvg
      lines {
        ...OrderLines_Line
      }
      events {
        seq
        status
        kind
        amount
        note
        actor
        at
        trackingNumber
        proofNumber
      }
      allowedTransitions
      requiresApproval
      awaitingApproval
      proofDue
      proofs {
        id
        number
        note
        state
        sentAt
        sentBy
        answer {
          note
          at
        }
      }
      product {
        id
        name
      }
    }
  }
`);

export const RecordPaymentMutation = graphql(`
  mutation WorkshopRecordPayment($input: RecordPaymentInput!) {
    recordPayment(input: $input) {
      order {
        id
        status
        amountPaid {
          amount
          currency
        }
      }
    }
  }
`);

export const AdvanceOrderMutation = graphql(`
  mutation WorkshopAdvanceOrder($input: AdvanceOrderInput!) {
    advanceOrder(input: $input) {
      order {
        id
        status
      }
      event {
        seq
        status
      }
    }
  }
`);

export const SendProofMutation = graphql(`
  mutation WorkshopSendProof($input: SendProofInput!) {
    sendProof(input: $input) {
      order {
        id
        status
      }
      proof {
        id
        number
      }
    }
  }
`);

export const RequestBalanceMutation = graphql(`
  mutation WorkshopRequestBalance($input: RequestBalanceInput!) {
    requestBalance(input: $input) {
      order {
        id
        customerEmail
      }
      paymentDue {
        kind
        amount {
          amount
          currency
        }
      }
    }
  }
`);
