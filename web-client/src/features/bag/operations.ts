import { graphql } from '../../gql';

export const BagViewFragment = graphql(`
  fragment BagView_Bag on Bag {
    id
    pieces
    orderable
    subtotal {
      amount
      currency
    }
    discount {
      amount
      currency
    }
    goodsTotal {
      amount
      currency
    }
    shipping {
      amount
      currency
    }
    total {
      amount
      currency
    }
    destination
    delivery {
      shippingZone
      ...LeadTimePanel_LeadTime
    }
    deposit {
      amount
      currency
    }
    balance {
      amount
      currency
    }
    shortfalls {
      name
      minimum
      missing
      message
    }
    lines {
      id
      configurationId
      quantity
      productName
      product {
        slug
      }
      selections {
        group
        groupName
        option
        optionName
        text
      }
      previewSvg
      unitPrice {
        amount
        currency
      }
      discount {
        amount
        currency
      }
      total {
        amount
        currency
      }
      discountLabel
      problem
    }
  }
`);

export const BagQuery = graphql(`
  query Bag($id: ID!) {
    bag(id: $id) {
      ...BagView_Bag
    }
  }
`);

export const BagLineIdsQuery = graphql(`
  query BagLineIds($id: ID!) {
    bag(id: $id) {
      id
      pieces
      lines {
        id
        configurationId
      }
    }
  }
`);

export const CreateBagMutation = graphql(`
  mutation CreateBag {
    createBag {
      bag {
        id
      }
    }
  }
`);

export const AddToBagMutation = graphql(`
  mutation AddToBag($input: AddToBagInput!) {
    addToBag(input: $input) {
      bag {
        ...BagView_Bag
      }
    }
  }
`);

export const UpdateBagLineMutation = graphql(`
  mutation UpdateBagLine($input: UpdateBagLineInput!) {
    updateBagLine(input: $input) {
      bag {
        ...BagView_Bag
      }
    }
  }
`);

export const RemoveBagLineMutation = graphql(`
  mutation RemoveBagLine($input: RemoveBagLineInput!) {
    removeBagLine(input: $input) {
      bag {
        ...BagView_Bag
      }
    }
  }
`);

export const SetBagDestinationMutation = graphql(`
  mutation SetBagDestination($input: SetBagDestinationInput!) {
    setBagDestination(input: $input) {
      bag {
        ...BagView_Bag
      }
    }
  }
`);

export const PlaceBagOrderMutation = graphql(`
  mutation PlaceBagOrder($input: PlaceBagOrderInput!) {
    placeBagOrder(input: $input) {
      order {
        id
        number
      }
      orderToken
    }
  }
`);
