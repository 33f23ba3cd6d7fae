import { graphql } from '../../gql';

export const DesignerProductsQuery = graphql(`
  query DesignerProducts {
    products(first: 50) {
      edges {
        node {
          id
          slug
          name
          description
          style
          status
          currency
          catalogVersion
          basePrice {
            amount
            currency
          }
          buildDaysMin
          buildDaysMax
          piecesPerExtraDay
          depositBasisPoints
          editionLimit
          requiresApproval
          minOrderQuantity
          ordersOpenAt
          ordersCloseAt
          draftGroups {
            id
            key
            name
            description
            kind
            required
            minSelect
            maxSelect
            maxLength
            allowedCharacters
            numberMin
            numberMax
            numberStep
            unit
            previewRole
            position
            active
            options {
              id
              key
              name
              description
              priceDelta {
                amount
                currency
              }
              leadDays
              swatch
              previewAsset
              position
              active
            }
          }
          rules {
            id
            key
            expression
            message
            enabled
          }
          priceRules {
            id
            label
            condition
            amount {
              amount
              currency
            }
            enabled
          }
          priceTiers {
            id
            minQuantity
            discountBasisPoints
          }
        }
      }
    }
  }
`);

export const CompatibilityQuery = graphql(`
  query Compatibility($productId: ID!, $selections: [SelectionInput!]!) {
    compatibility(productId: $productId, selections: $selections, draft: true) {
      complete
      valid
      completions
      groups {
        group {
          key
          name
        }
        none
        options {
          option {
            key
            name
          }
          state
          reasons {
            message
            selections {
              group
              option
              text
            }
          }
        }
      }
    }
  }
`);

export const MatrixQuery = graphql(`
  query CompatibilityMatrix($productId: ID!, $groupA: String!, $groupB: String!) {
    compatibilityMatrix(productId: $productId, groupA: $groupA, groupB: $groupB, draft: true) {
      a
      b
      allowed
    }
  }
`);

export const LintQuery = graphql(`
  query Lint($productId: ID!) {
    lint(productId: $productId, draft: true) {
      severity
      code
      message
      group
      option
      rule
    }
  }
`);

export const RuleImpactQuery = graphql(`
  query RuleImpact($productId: ID!, $expression: String!, $replacing: ID) {
    ruleImpact(productId: $productId, expression: $expression, draft: true, replacing: $replacing) {
      countBefore
      countAfter
      changes {
        group
        option
        before
        after
      }
    }
  }
`);

export const CreateRuleMutation = graphql(`
  mutation CreateRule($input: CreateRuleInput!) {
    createRule(input: $input) {
      rule {
        id
        key
      }
    }
  }
`);

export const PublishCatalogMutation = graphql(`
  mutation PublishCatalog($input: PublishCatalogInput!) {
    publishCatalog(input: $input) {
      version
      warnings {
        severity
        code
        message
      }
    }
  }
`);

export const CatalogDiffQuery = graphql(`
  query CatalogDiff($productId: ID!) {
    catalogDiff(productId: $productId) {
      action
      entity
      key
      field
      before
      after
    }
  }
`);

export const CatalogChangesQuery = graphql(`
  query CatalogChanges($productId: ID!, $first: Int!) {
    catalogChanges(productId: $productId, first: $first) {
      totalCount
      edges {
        node {
          id
          actor
          entity
          entityID
          action
          at
          before
          after
        }
      }
    }
  }
`);

export const CreateProductMutation = graphql(`
  mutation CreateProduct($input: CreateProductInput!) {
    createProduct(input: $input) {
      product {
        id
      }
    }
  }
`);

export const UpdateProductMutation = graphql(`
  mutation UpdateProduct($id: ID!, $input: UpdateProductInput!) {
    updateProduct(id: $id, input: $input) {
      product {
        id
      }
    }
  }
`);

export const ArchiveProductMutation = graphql(`
  mutation ArchiveProduct($id: ID!) {
    archiveProduct(id: $id) {
      product {
        id
        status
      }
    }
  }
`);

export const CreateGroupMutation = graphql(`
  mutation CreateOptionGroup($input: CreateOptionGroupInput!) {
    createOptionGroup(input: $input) {
      optionGroup {
        id
      }
    }
  }
`);

export const UpdateGroupMutation = graphql(`
  mutation UpdateOptionGroup($id: ID!, $input: UpdateOptionGroupInput!) {
    updateOptionGroup(id: $id, input: $input) {
      optionGroup {
        id
      }
    }
  }
`);

export const ArchiveGroupMutation = graphql(`
  mutation ArchiveOptionGroup($id: ID!) {
    archiveOptionGroup(id: $id) {
      optionGroup {
        id
      }
    }
  }
`);

export const CreateOptionMutation = graphql(`
  mutation CreateOption($input: CreateOptionValueInput!) {
    createOption(input: $input) {
      option {
        id
      }
    }
  }
`);

export const UpdateOptionMutation = graphql(`
  mutation UpdateOption($id: ID!, $input: UpdateOptionValueInput!) {
    updateOption(id: $id, input: $input) {
      option {
        id
      }
    }
  }
`);

export const ArchiveOptionMutation = graphql(`
  mutation ArchiveOption($id: ID!) {
    archiveOption(id: $id) {
      option {
        id
      }
    }
  }
`);

export const UpdateRuleMutation = graphql(`
  mutation UpdateRule($id: ID!, $input: UpdateRuleInput!) {
    updateRule(id: $id, input: $input) {
      rule {
        id
      }
    }
  }
`);

export const DeleteRuleMutation = graphql(`
  mutation DeleteRule($id: ID!) {
    deleteRule(id: $id) {
      deletedId
    }
  }
`);

export const CreatePriceRuleMutation = graphql(`
  mutation CreatePriceRule($input: CreatePriceRuleInput!) {
    createPriceRule(input: $input) {
      priceRule {
        id
      }
    }
  }
`);

export const UpdatePriceRuleMutation = graphql(`
  mutation UpdatePriceRule($id: ID!, $input: UpdatePriceRuleInput!) {
    updatePriceRule(id: $id, input: $input) {
      priceRule {
        id
      }
    }
  }
`);

export const DeletePriceRuleMutation = graphql(`
  mutation DeletePriceRule($id: ID!) {
    deletePriceRule(id: $id) {
      deletedId
    }
  }
`);

export const CreatePriceTierMutation = graphql(`
  mutation CreatePriceTier($input: CreatePriceTierInput!) {
    createPriceTier(input: $input) {
      priceTier {
        id
      }
    }
  }
`);

export const UpdatePriceTierMutation = graphql(`
  mutation UpdatePriceTier($id: ID!, $input: UpdatePriceTierInput!) {
    updatePriceTier(id: $id, input: $input) {
      priceTier {
        id
      }
    }
  }
`);

export const DeletePriceTierMutation = graphql(`
  mutation DeletePriceTier($id: ID!) {
    deletePriceTier(id: $id) {
      deletedId
    }
  }
`);

export const ShippingZonesQuery = graphql(`
  query DesignerShippingZones {
    shippingZones {
      id
      name
      countries
      restOfWorld
      transitMinDays
      transitMaxDays
      currency
      price {
        amount
        currency
      }
    }
  }
`);

export const ShippingZoneChangesQuery = graphql(`
  query ShippingZoneChanges($first: Int!) {
    shippingZoneChanges(first: $first) {
      totalCount
      edges {
        node {
          id
          actor
          entity
          entityID
          action
          at
          before
          after
        }
      }
    }
  }
`);

export const CreateShippingZoneMutation = graphql(`
  mutation CreateShippingZone($input: CreateShippingZoneInput!) {
    createShippingZone(input: $input) {
      shippingZone {
        id
      }
    }
  }
`);

export const UpdateShippingZoneMutation = graphql(`
  mutation UpdateShippingZone($id: ID!, $input: UpdateShippingZoneInput!) {
    updateShippingZone(id: $id, input: $input) {
      shippingZone {
        id
      }
    }
  }
`);

export const DeleteShippingZoneMutation = graphql(`
  mutation DeleteShippingZone($id: ID!) {
    deleteShippingZone(id: $id) {
      deletedId
    }
  }
`);
