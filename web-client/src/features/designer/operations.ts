import { graphql } from '../../gql';

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      name
      role
    }
  }
`);

export const DesignerProductsQuery = graphql(`
  query DesignerProducts {
    products(first: 50) {
      edges {
        node {
          id
          slug
          name
          status
          catalogVersion
          draftGroups {
            id
            key
            name
            kind
            active
            options {
              id
              key
              name
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
  query RuleImpact($productId: ID!, $expression: String!) {
    ruleImpact(productId: $productId, expression: $expression, draft: true) {
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
