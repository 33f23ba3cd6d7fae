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

export const QueueCountsQuery = graphql(`
  query WorkshopQueueCounts($base: OrderWhereInput!) {
    all: orders(first: 1, where: $base) {
      totalCount
    }
    active: orders(first: 1, where: { and: [$base, { statusNotIn: [SHIPPED, DELIVERED, CANCELLED] }] }) {
      totalCount
    }
    placed: orders(first: 1, where: { and: [$base, { status: PLACED }] }) {
      totalCount
    }
    confirmed: orders(first: 1, where: { and: [$base, { status: CONFIRMED }] }) {
      totalCount
    }
    materials: orders(first: 1, where: { and: [$base, { status: MATERIALS }] }) {
      totalCount
    }
    crafting: orders(first: 1, where: { and: [$base, { status: CRAFTING }] }) {
      totalCount
    }
    finishing: orders(first: 1, where: { and: [$base, { status: FINISHING }] }) {
      totalCount
    }
    qualityCheck: orders(first: 1, where: { and: [$base, { status: QUALITY_CHECK }] }) {
      totalCount
    }
    shipped: orders(first: 1, where: { and: [$base, { status: SHIPPED }] }) {
      totalCount
    }
    delivered: orders(first: 1, where: { and: [$base, { status: DELIVERED }] }) {
      totalCount
    }
    cancelled: orders(first: 1, where: { and: [$base, { status: CANCELLED }] }) {
      totalCount
    }
  }
`);

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
      events {
        seq
        status
        note
        actor
        at
        trackingNumber
      }
      allowedTransitions
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
