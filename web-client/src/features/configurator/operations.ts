import { graphql } from '../../gql';

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
    leadTime {
      ...LeadTimePanel_LeadTime
    }
    preview {
      ...PreviewPanel_Preview
    }
  }
`);

export const ConfigurationPayloadFragment = graphql(`
  fragment Configurator_Payload on ConfigurationPayload {
    configuration {
      ...ConfiguratorPage_Configuration
    }
    changes {
      group
      from
      to
      message
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
      ...ConfiguratorPage_Configuration
    }
  }
`);

export const ConfigurationUpdatedSubscription = graphql(`
  subscription ConfigurationUpdated($id: ID!) {
    configurationUpdated(id: $id) {
      ...ConfiguratorPage_Configuration
    }
  }
`);

export const StartConfigurationMutation = graphql(`
  mutation StartConfiguration($input: StartConfigurationInput!) {
    startConfiguration(input: $input) {
      ...Configurator_Payload
    }
  }
`);

export const SelectOptionMutation = graphql(`
  mutation SelectOption($input: SelectOptionInput!) {
    result: selectOption(input: $input) {
      ...Configurator_Payload
    }
  }
`);

export const ClearSelectionMutation = graphql(`
  mutation ClearSelection($input: ClearSelectionInput!) {
    result: clearSelection(input: $input) {
      ...Configurator_Payload
    }
  }
`);

export const SetTextMutation = graphql(`
  mutation SetText($input: SetTextInput!) {
    result: setText(input: $input) {
      ...Configurator_Payload
    }
  }
`);

export const SetNumberMutation = graphql(`
  mutation SetNumber($input: SetNumberInput!) {
    result: setNumber(input: $input) {
      ...Configurator_Payload
    }
  }
`);

export const SetQuantityMutation = graphql(`
  mutation SetQuantity($input: SetQuantityInput!) {
    result: setQuantity(input: $input) {
      ...Configurator_Payload
    }
  }
`);

export const ResetConfigurationMutation = graphql(`
  mutation ResetConfiguration($input: ResetConfigurationInput!) {
    result: resetConfiguration(input: $input) {
      ...Configurator_Payload
    }
  }
`);
