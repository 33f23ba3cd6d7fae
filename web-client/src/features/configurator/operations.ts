import { graphql } from '../../gql';

// Each operation selects the configuration's id and version beside the page's fragment: the
// steps hook (useConfigurationSteps) reads them to order answers and send the next step, and
// only the page unmasks the fragment, in render.

export const ConfiguratorPageFragment = graphql(`
  fragment ConfiguratorPage_Configuration on Configuration {
    id
    version
    quantity
    complete
    valid
    completions
    notices
    product {
      id
      slug
      name
    }
    selections {
      group
      option
      text
    }
    groups {
      group {
        key
        name
        required
        kind
      }
      options {
        option {
          key
          name
        }
        state
      }
      ...OptionGroup_ConfigurationGroup
    }
    price {
      total {
        amount
        currency
      }
      ...PricePanel_Price
    }
    destination
    leadTime {
      ...LeadTimePanel_LeadTime
    }
    preview {
      ...PreviewPanel_Preview
    }
  }
`);

export const ConfiguratorProductQuery = graphql(`
  query ConfiguratorProduct($slug: String!) {
    product(slug: $slug) {
      id
      slug
      name
      description
      style
      basePrice {
        amount
        currency
      }
      editionRemaining
    }
  }
`);

export const ConfigurationQuery = graphql(`
  query Configuration($id: ID!) {
    configuration(id: $id) {
      id
      version
      ...ConfiguratorPage_Configuration
    }
  }
`);

export const ConfigurationUpdatedSubscription = graphql(`
  subscription ConfigurationUpdated($id: ID!) {
    configurationUpdated(id: $id) {
      id
      version
      ...ConfiguratorPage_Configuration
    }
  }
`);

export const StartConfigurationMutation = graphql(`
  mutation StartConfiguration($input: StartConfigurationInput!) {
    startConfiguration(input: $input) {
      configuration {
        id
        version
        ...ConfiguratorPage_Configuration
      }
      changes {
        group
        from
        to
        message
      }
    }
  }
`);

export const SelectOptionMutation = graphql(`
  mutation SelectOption($input: SelectOptionInput!) {
    result: selectOption(input: $input) {
      configuration {
        id
        version
        ...ConfiguratorPage_Configuration
      }
      changes {
        group
        from
        to
        message
      }
    }
  }
`);

export const ClearSelectionMutation = graphql(`
  mutation ClearSelection($input: ClearSelectionInput!) {
    result: clearSelection(input: $input) {
      configuration {
        id
        version
        ...ConfiguratorPage_Configuration
      }
      changes {
        group
        from
        to
        message
      }
    }
  }
`);

export const SetTextMutation = graphql(`
  mutation SetText($input: SetTextInput!) {
    result: setText(input: $input) {
      configuration {
        id
        version
        ...ConfiguratorPage_Configuration
      }
      changes {
        group
        from
        to
        message
      }
    }
  }
`);

export const SetNumberMutation = graphql(`
  mutation SetNumber($input: SetNumberInput!) {
    result: setNumber(input: $input) {
      configuration {
        id
        version
        ...ConfiguratorPage_Configuration
      }
      changes {
        group
        from
        to
        message
      }
    }
  }
`);

export const SetDestinationMutation = graphql(`
  mutation SetDestination($input: SetDestinationInput!) {
    result: setDestination(input: $input) {
      configuration {
        id
        version
        ...ConfiguratorPage_Configuration
      }
      changes {
        group
        from
        to
        message
      }
    }
  }
`);

export const ShippingZonesQuery = graphql(`
  query ShippingZones {
    shippingZones {
      id
      name
      countries
      restOfWorld
    }
  }
`);

export const SetQuantityMutation = graphql(`
  mutation SetQuantity($input: SetQuantityInput!) {
    result: setQuantity(input: $input) {
      configuration {
        id
        version
        ...ConfiguratorPage_Configuration
      }
      changes {
        group
        from
        to
        message
      }
    }
  }
`);

export const ResetConfigurationMutation = graphql(`
  mutation ResetConfiguration($input: ResetConfigurationInput!) {
    result: resetConfiguration(input: $input) {
      configuration {
        id
        version
        ...ConfiguratorPage_Configuration
      }
      changes {
        group
        from
        to
        message
      }
    }
  }
`);
