/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment ProductCard_Product on Product {\n    id\n    slug\n    name\n    description\n    style\n    basePrice {\n      amount\n      currency\n    }\n    buildDaysMin\n    buildDaysMax\n    editionRemaining\n  }\n": typeof types.ProductCard_ProductFragmentDoc,
    "\n  query Products {\n    products(first: 24) {\n      edges {\n        node {\n          id\n          ...ProductCard_Product\n        }\n      }\n    }\n  }\n": typeof types.ProductsDocument,
    "\n  fragment CheckoutSummary_Configuration on Configuration {\n    id\n    version\n    complete\n    quantity\n    product {\n      slug\n      name\n    }\n    selections {\n      group\n      option\n      text\n    }\n    groups {\n      group {\n        key\n        name\n        unit\n        kind\n      }\n      options {\n        option {\n          key\n          name\n        }\n      }\n    }\n    price {\n      total {\n        amount\n        currency\n      }\n      depositDue {\n        amount\n        currency\n      }\n      balanceDue {\n        amount\n        currency\n      }\n      lines {\n        label\n        amount {\n          amount\n          currency\n        }\n      }\n    }\n    leadTime {\n      shipsEarliest\n      shipsLatest\n    }\n    preview {\n      svg\n    }\n  }\n": typeof types.CheckoutSummary_ConfigurationFragmentDoc,
    "\n  query Checkout($id: ID!) {\n    configuration(id: $id) {\n      ...CheckoutSummary_Configuration\n    }\n  }\n": typeof types.CheckoutDocument,
    "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      order {\n        id\n        number\n      }\n      orderToken\n      priceChanged\n      previousTotal {\n        amount\n        currency\n      }\n    }\n  }\n": typeof types.PlaceOrderDocument,
    "\n  fragment LeadTimePanel_LeadTime on LeadTime {\n    minBusinessDays\n    maxBusinessDays\n    shipsEarliest\n    shipsLatest\n  }\n": typeof types.LeadTimePanel_LeadTimeFragmentDoc,
    "\n  fragment OptionGroup_ConfigurationGroup on ConfigurationGroup {\n    group {\n      id\n      key\n      name\n      description\n      kind\n      required\n      minSelect\n      maxSelect\n      maxLength\n      allowedCharacters\n      numberMin\n      numberMax\n      numberStep\n      unit\n      previewRole\n    }\n    none\n    options {\n      option {\n        id\n        key\n        name\n        description\n        leadDays\n        swatch\n        previewAsset\n      }\n      state\n      reasons {\n        message\n        selections {\n          group\n          option\n          text\n        }\n      }\n      priceDelta {\n        amount\n        currency\n      }\n    }\n  }\n": typeof types.OptionGroup_ConfigurationGroupFragmentDoc,
    "\n  fragment PreviewPanel_Preview on Preview {\n    svg\n    layers {\n      group\n      option\n    }\n  }\n": typeof types.PreviewPanel_PreviewFragmentDoc,
    "\n  fragment PricePanel_Price on Price {\n    unit {\n      amount\n      currency\n    }\n    quantity\n    subtotal {\n      amount\n      currency\n    }\n    discount {\n      amount\n      currency\n    }\n    total {\n      amount\n      currency\n    }\n    lines {\n      label\n      amount {\n        amount\n        currency\n      }\n    }\n    tier\n    tiers {\n      minQuantity\n      discountBasisPoints\n    }\n    depositDue {\n      amount\n      currency\n    }\n    balanceDue {\n      amount\n      currency\n    }\n  }\n": typeof types.PricePanel_PriceFragmentDoc,
    "\n  fragment ConfiguratorPage_Configuration on Configuration {\n    id\n    version\n    quantity\n    complete\n    valid\n    completions\n    notices\n    product {\n      id\n      slug\n      name\n    }\n    selections {\n      group\n      option\n      text\n    }\n    groups {\n      group {\n        key\n        name\n        required\n        kind\n      }\n      options {\n        option {\n          key\n          name\n        }\n      }\n      ...OptionGroup_ConfigurationGroup\n    }\n    price {\n      total {\n        amount\n        currency\n      }\n      ...PricePanel_Price\n    }\n    leadTime {\n      ...LeadTimePanel_LeadTime\n    }\n    preview {\n      ...PreviewPanel_Preview\n    }\n  }\n": typeof types.ConfiguratorPage_ConfigurationFragmentDoc,
    "\n  fragment Configurator_Payload on ConfigurationPayload {\n    configuration {\n      ...ConfiguratorPage_Configuration\n    }\n    changes {\n      group\n      from\n      to\n      message\n    }\n  }\n": typeof types.Configurator_PayloadFragmentDoc,
    "\n  query ConfiguratorProduct($slug: String!) {\n    product(slug: $slug) {\n      id\n      slug\n      name\n      description\n      style\n      basePrice {\n        amount\n        currency\n      }\n      editionRemaining\n    }\n  }\n": typeof types.ConfiguratorProductDocument,
    "\n  query Configuration($id: ID!) {\n    configuration(id: $id) {\n      ...ConfiguratorPage_Configuration\n    }\n  }\n": typeof types.ConfigurationDocument,
    "\n  subscription ConfigurationUpdated($id: ID!) {\n    configurationUpdated(id: $id) {\n      ...ConfiguratorPage_Configuration\n    }\n  }\n": typeof types.ConfigurationUpdatedDocument,
    "\n  mutation StartConfiguration($input: StartConfigurationInput!) {\n    startConfiguration(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n": typeof types.StartConfigurationDocument,
    "\n  mutation SelectOption($input: SelectOptionInput!) {\n    result: selectOption(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n": typeof types.SelectOptionDocument,
    "\n  mutation ClearSelection($input: ClearSelectionInput!) {\n    result: clearSelection(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n": typeof types.ClearSelectionDocument,
    "\n  mutation SetText($input: SetTextInput!) {\n    result: setText(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n": typeof types.SetTextDocument,
    "\n  mutation SetNumber($input: SetNumberInput!) {\n    result: setNumber(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n": typeof types.SetNumberDocument,
    "\n  mutation SetQuantity($input: SetQuantityInput!) {\n    result: setQuantity(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n": typeof types.SetQuantityDocument,
    "\n  mutation ResetConfiguration($input: ResetConfigurationInput!) {\n    result: resetConfiguration(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n": typeof types.ResetConfigurationDocument,
    "\n  query Viewer {\n    viewer {\n      name\n      role\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  query DesignerProducts {\n    products(first: 50) {\n      edges {\n        node {\n          id\n          slug\n          name\n          status\n          catalogVersion\n          draftGroups {\n            id\n            key\n            name\n            kind\n            active\n            options {\n              id\n              key\n              name\n              active\n            }\n          }\n          rules {\n            id\n            key\n            expression\n            message\n            enabled\n          }\n        }\n      }\n    }\n  }\n": typeof types.DesignerProductsDocument,
    "\n  query Compatibility($productId: ID!, $selections: [SelectionInput!]!) {\n    compatibility(productId: $productId, selections: $selections, draft: true) {\n      complete\n      valid\n      completions\n      groups {\n        group {\n          key\n          name\n        }\n        none\n        options {\n          option {\n            key\n            name\n          }\n          state\n          reasons {\n            message\n            selections {\n              group\n              option\n              text\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.CompatibilityDocument,
    "\n  query CompatibilityMatrix($productId: ID!, $groupA: String!, $groupB: String!) {\n    compatibilityMatrix(productId: $productId, groupA: $groupA, groupB: $groupB, draft: true) {\n      a\n      b\n      allowed\n    }\n  }\n": typeof types.CompatibilityMatrixDocument,
    "\n  query Lint($productId: ID!) {\n    lint(productId: $productId, draft: true) {\n      severity\n      code\n      message\n      group\n      option\n      rule\n    }\n  }\n": typeof types.LintDocument,
    "\n  query RuleImpact($productId: ID!, $expression: String!) {\n    ruleImpact(productId: $productId, expression: $expression, draft: true) {\n      countBefore\n      countAfter\n      changes {\n        group\n        option\n        before\n        after\n      }\n    }\n  }\n": typeof types.RuleImpactDocument,
    "\n  mutation CreateRule($input: CreateRuleInput!) {\n    createRule(input: $input) {\n      rule {\n        id\n        key\n      }\n    }\n  }\n": typeof types.CreateRuleDocument,
    "\n  mutation PublishCatalog($input: PublishCatalogInput!) {\n    publishCatalog(input: $input) {\n      version\n      warnings {\n        severity\n        code\n        message\n      }\n    }\n  }\n": typeof types.PublishCatalogDocument,
    "\n  mutation FindMyOrder($input: FindMyOrderInput!) {\n    findMyOrder(input: $input) {\n      message\n    }\n  }\n": typeof types.FindMyOrderDocument,
    "\n  fragment OrderDetail_Order on Order {\n    id\n    number\n    status\n    quantity\n    currency\n    createdAt\n    customerName\n    trackingNumber\n    total {\n      amount\n      currency\n    }\n    depositDue {\n      amount\n      currency\n    }\n    balanceDue {\n      amount\n      currency\n    }\n    amountPaid {\n      amount\n      currency\n    }\n    amountDue {\n      amount\n      currency\n    }\n    paymentDue {\n      kind\n      clientSecret\n      amount {\n        amount\n        currency\n      }\n    }\n    selections {\n      group\n      groupName\n      option\n      optionName\n      text\n    }\n    priceLines {\n      label\n      amount {\n        amount\n        currency\n      }\n    }\n    leadTime {\n      minBusinessDays\n      maxBusinessDays\n      shipsEarliest\n      shipsLatest\n    }\n    previewSvg\n    shipsEarliest\n    shipsLatest\n    events {\n      seq\n      status\n      kind\n      amount\n      note\n      at\n      trackingNumber\n    }\n    product {\n      name\n    }\n  }\n": typeof types.OrderDetail_OrderFragmentDoc,
    "\n  query Order($id: ID!) {\n    order(id: $id) {\n      ...OrderDetail_Order\n    }\n  }\n": typeof types.OrderDocument,
    "\n  mutation RedeemSignInLink($input: RedeemSignInLinkInput!) {\n    redeemSignInLink(input: $input) {\n      order {\n        id\n      }\n      orderToken\n    }\n  }\n": typeof types.RedeemSignInLinkDocument,
    "\n  subscription OrderEvents($orderId: ID!, $after: Int) {\n    orderEvents(orderId: $orderId, after: $after) {\n      seq\n      status\n      kind\n      amount\n      note\n      at\n      trackingNumber\n    }\n  }\n": typeof types.OrderEventsDocument,
    "\n  query PaymentSettings {\n    paymentSettings {\n      provider\n      publishableKey\n    }\n  }\n": typeof types.PaymentSettingsDocument,
};
const documents: Documents = {
    "\n  fragment ProductCard_Product on Product {\n    id\n    slug\n    name\n    description\n    style\n    basePrice {\n      amount\n      currency\n    }\n    buildDaysMin\n    buildDaysMax\n    editionRemaining\n  }\n": types.ProductCard_ProductFragmentDoc,
    "\n  query Products {\n    products(first: 24) {\n      edges {\n        node {\n          id\n          ...ProductCard_Product\n        }\n      }\n    }\n  }\n": types.ProductsDocument,
    "\n  fragment CheckoutSummary_Configuration on Configuration {\n    id\n    version\n    complete\n    quantity\n    product {\n      slug\n      name\n    }\n    selections {\n      group\n      option\n      text\n    }\n    groups {\n      group {\n        key\n        name\n        unit\n        kind\n      }\n      options {\n        option {\n          key\n          name\n        }\n      }\n    }\n    price {\n      total {\n        amount\n        currency\n      }\n      depositDue {\n        amount\n        currency\n      }\n      balanceDue {\n        amount\n        currency\n      }\n      lines {\n        label\n        amount {\n          amount\n          currency\n        }\n      }\n    }\n    leadTime {\n      shipsEarliest\n      shipsLatest\n    }\n    preview {\n      svg\n    }\n  }\n": types.CheckoutSummary_ConfigurationFragmentDoc,
    "\n  query Checkout($id: ID!) {\n    configuration(id: $id) {\n      ...CheckoutSummary_Configuration\n    }\n  }\n": types.CheckoutDocument,
    "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      order {\n        id\n        number\n      }\n      orderToken\n      priceChanged\n      previousTotal {\n        amount\n        currency\n      }\n    }\n  }\n": types.PlaceOrderDocument,
    "\n  fragment LeadTimePanel_LeadTime on LeadTime {\n    minBusinessDays\n    maxBusinessDays\n    shipsEarliest\n    shipsLatest\n  }\n": types.LeadTimePanel_LeadTimeFragmentDoc,
    "\n  fragment OptionGroup_ConfigurationGroup on ConfigurationGroup {\n    group {\n      id\n      key\n      name\n      description\n      kind\n      required\n      minSelect\n      maxSelect\n      maxLength\n      allowedCharacters\n      numberMin\n      numberMax\n      numberStep\n      unit\n      previewRole\n    }\n    none\n    options {\n      option {\n        id\n        key\n        name\n        description\n        leadDays\n        swatch\n        previewAsset\n      }\n      state\n      reasons {\n        message\n        selections {\n          group\n          option\n          text\n        }\n      }\n      priceDelta {\n        amount\n        currency\n      }\n    }\n  }\n": types.OptionGroup_ConfigurationGroupFragmentDoc,
    "\n  fragment PreviewPanel_Preview on Preview {\n    svg\n    layers {\n      group\n      option\n    }\n  }\n": types.PreviewPanel_PreviewFragmentDoc,
    "\n  fragment PricePanel_Price on Price {\n    unit {\n      amount\n      currency\n    }\n    quantity\n    subtotal {\n      amount\n      currency\n    }\n    discount {\n      amount\n      currency\n    }\n    total {\n      amount\n      currency\n    }\n    lines {\n      label\n      amount {\n        amount\n        currency\n      }\n    }\n    tier\n    tiers {\n      minQuantity\n      discountBasisPoints\n    }\n    depositDue {\n      amount\n      currency\n    }\n    balanceDue {\n      amount\n      currency\n    }\n  }\n": types.PricePanel_PriceFragmentDoc,
    "\n  fragment ConfiguratorPage_Configuration on Configuration {\n    id\n    version\n    quantity\n    complete\n    valid\n    completions\n    notices\n    product {\n      id\n      slug\n      name\n    }\n    selections {\n      group\n      option\n      text\n    }\n    groups {\n      group {\n        key\n        name\n        required\n        kind\n      }\n      options {\n        option {\n          key\n          name\n        }\n      }\n      ...OptionGroup_ConfigurationGroup\n    }\n    price {\n      total {\n        amount\n        currency\n      }\n      ...PricePanel_Price\n    }\n    leadTime {\n      ...LeadTimePanel_LeadTime\n    }\n    preview {\n      ...PreviewPanel_Preview\n    }\n  }\n": types.ConfiguratorPage_ConfigurationFragmentDoc,
    "\n  fragment Configurator_Payload on ConfigurationPayload {\n    configuration {\n      ...ConfiguratorPage_Configuration\n    }\n    changes {\n      group\n      from\n      to\n      message\n    }\n  }\n": types.Configurator_PayloadFragmentDoc,
    "\n  query ConfiguratorProduct($slug: String!) {\n    product(slug: $slug) {\n      id\n      slug\n      name\n      description\n      style\n      basePrice {\n        amount\n        currency\n      }\n      editionRemaining\n    }\n  }\n": types.ConfiguratorProductDocument,
    "\n  query Configuration($id: ID!) {\n    configuration(id: $id) {\n      ...ConfiguratorPage_Configuration\n    }\n  }\n": types.ConfigurationDocument,
    "\n  subscription ConfigurationUpdated($id: ID!) {\n    configurationUpdated(id: $id) {\n      ...ConfiguratorPage_Configuration\n    }\n  }\n": types.ConfigurationUpdatedDocument,
    "\n  mutation StartConfiguration($input: StartConfigurationInput!) {\n    startConfiguration(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n": types.StartConfigurationDocument,
    "\n  mutation SelectOption($input: SelectOptionInput!) {\n    result: selectOption(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n": types.SelectOptionDocument,
    "\n  mutation ClearSelection($input: ClearSelectionInput!) {\n    result: clearSelection(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n": types.ClearSelectionDocument,
    "\n  mutation SetText($input: SetTextInput!) {\n    result: setText(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n": types.SetTextDocument,
    "\n  mutation SetNumber($input: SetNumberInput!) {\n    result: setNumber(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n": types.SetNumberDocument,
    "\n  mutation SetQuantity($input: SetQuantityInput!) {\n    result: setQuantity(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n": types.SetQuantityDocument,
    "\n  mutation ResetConfiguration($input: ResetConfigurationInput!) {\n    result: resetConfiguration(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n": types.ResetConfigurationDocument,
    "\n  query Viewer {\n    viewer {\n      name\n      role\n    }\n  }\n": types.ViewerDocument,
    "\n  query DesignerProducts {\n    products(first: 50) {\n      edges {\n        node {\n          id\n          slug\n          name\n          status\n          catalogVersion\n          draftGroups {\n            id\n            key\n            name\n            kind\n            active\n            options {\n              id\n              key\n              name\n              active\n            }\n          }\n          rules {\n            id\n            key\n            expression\n            message\n            enabled\n          }\n        }\n      }\n    }\n  }\n": types.DesignerProductsDocument,
    "\n  query Compatibility($productId: ID!, $selections: [SelectionInput!]!) {\n    compatibility(productId: $productId, selections: $selections, draft: true) {\n      complete\n      valid\n      completions\n      groups {\n        group {\n          key\n          name\n        }\n        none\n        options {\n          option {\n            key\n            name\n          }\n          state\n          reasons {\n            message\n            selections {\n              group\n              option\n              text\n            }\n          }\n        }\n      }\n    }\n  }\n": types.CompatibilityDocument,
    "\n  query CompatibilityMatrix($productId: ID!, $groupA: String!, $groupB: String!) {\n    compatibilityMatrix(productId: $productId, groupA: $groupA, groupB: $groupB, draft: true) {\n      a\n      b\n      allowed\n    }\n  }\n": types.CompatibilityMatrixDocument,
    "\n  query Lint($productId: ID!) {\n    lint(productId: $productId, draft: true) {\n      severity\n      code\n      message\n      group\n      option\n      rule\n    }\n  }\n": types.LintDocument,
    "\n  query RuleImpact($productId: ID!, $expression: String!) {\n    ruleImpact(productId: $productId, expression: $expression, draft: true) {\n      countBefore\n      countAfter\n      changes {\n        group\n        option\n        before\n        after\n      }\n    }\n  }\n": types.RuleImpactDocument,
    "\n  mutation CreateRule($input: CreateRuleInput!) {\n    createRule(input: $input) {\n      rule {\n        id\n        key\n      }\n    }\n  }\n": types.CreateRuleDocument,
    "\n  mutation PublishCatalog($input: PublishCatalogInput!) {\n    publishCatalog(input: $input) {\n      version\n      warnings {\n        severity\n        code\n        message\n      }\n    }\n  }\n": types.PublishCatalogDocument,
    "\n  mutation FindMyOrder($input: FindMyOrderInput!) {\n    findMyOrder(input: $input) {\n      message\n    }\n  }\n": types.FindMyOrderDocument,
    "\n  fragment OrderDetail_Order on Order {\n    id\n    number\n    status\n    quantity\n    currency\n    createdAt\n    customerName\n    trackingNumber\n    total {\n      amount\n      currency\n    }\n    depositDue {\n      amount\n      currency\n    }\n    balanceDue {\n      amount\n      currency\n    }\n    amountPaid {\n      amount\n      currency\n    }\n    amountDue {\n      amount\n      currency\n    }\n    paymentDue {\n      kind\n      clientSecret\n      amount {\n        amount\n        currency\n      }\n    }\n    selections {\n      group\n      groupName\n      option\n      optionName\n      text\n    }\n    priceLines {\n      label\n      amount {\n        amount\n        currency\n      }\n    }\n    leadTime {\n      minBusinessDays\n      maxBusinessDays\n      shipsEarliest\n      shipsLatest\n    }\n    previewSvg\n    shipsEarliest\n    shipsLatest\n    events {\n      seq\n      status\n      kind\n      amount\n      note\n      at\n      trackingNumber\n    }\n    product {\n      name\n    }\n  }\n": types.OrderDetail_OrderFragmentDoc,
    "\n  query Order($id: ID!) {\n    order(id: $id) {\n      ...OrderDetail_Order\n    }\n  }\n": types.OrderDocument,
    "\n  mutation RedeemSignInLink($input: RedeemSignInLinkInput!) {\n    redeemSignInLink(input: $input) {\n      order {\n        id\n      }\n      orderToken\n    }\n  }\n": types.RedeemSignInLinkDocument,
    "\n  subscription OrderEvents($orderId: ID!, $after: Int) {\n    orderEvents(orderId: $orderId, after: $after) {\n      seq\n      status\n      kind\n      amount\n      note\n      at\n      trackingNumber\n    }\n  }\n": types.OrderEventsDocument,
    "\n  query PaymentSettings {\n    paymentSettings {\n      provider\n      publishableKey\n    }\n  }\n": types.PaymentSettingsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductCard_Product on Product {\n    id\n    slug\n    name\n    description\n    style\n    basePrice {\n      amount\n      currency\n    }\n    buildDaysMin\n    buildDaysMax\n    editionRemaining\n  }\n"): (typeof documents)["\n  fragment ProductCard_Product on Product {\n    id\n    slug\n    name\n    description\n    style\n    basePrice {\n      amount\n      currency\n    }\n    buildDaysMin\n    buildDaysMax\n    editionRemaining\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Products {\n    products(first: 24) {\n      edges {\n        node {\n          id\n          ...ProductCard_Product\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Products {\n    products(first: 24) {\n      edges {\n        node {\n          id\n          ...ProductCard_Product\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CheckoutSummary_Configuration on Configuration {\n    id\n    version\n    complete\n    quantity\n    product {\n      slug\n      name\n    }\n    selections {\n      group\n      option\n      text\n    }\n    groups {\n      group {\n        key\n        name\n        unit\n        kind\n      }\n      options {\n        option {\n          key\n          name\n        }\n      }\n    }\n    price {\n      total {\n        amount\n        currency\n      }\n      depositDue {\n        amount\n        currency\n      }\n      balanceDue {\n        amount\n        currency\n      }\n      lines {\n        label\n        amount {\n          amount\n          currency\n        }\n      }\n    }\n    leadTime {\n      shipsEarliest\n      shipsLatest\n    }\n    preview {\n      svg\n    }\n  }\n"): (typeof documents)["\n  fragment CheckoutSummary_Configuration on Configuration {\n    id\n    version\n    complete\n    quantity\n    product {\n      slug\n      name\n    }\n    selections {\n      group\n      option\n      text\n    }\n    groups {\n      group {\n        key\n        name\n        unit\n        kind\n      }\n      options {\n        option {\n          key\n          name\n        }\n      }\n    }\n    price {\n      total {\n        amount\n        currency\n      }\n      depositDue {\n        amount\n        currency\n      }\n      balanceDue {\n        amount\n        currency\n      }\n      lines {\n        label\n        amount {\n          amount\n          currency\n        }\n      }\n    }\n    leadTime {\n      shipsEarliest\n      shipsLatest\n    }\n    preview {\n      svg\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Checkout($id: ID!) {\n    configuration(id: $id) {\n      ...CheckoutSummary_Configuration\n    }\n  }\n"): (typeof documents)["\n  query Checkout($id: ID!) {\n    configuration(id: $id) {\n      ...CheckoutSummary_Configuration\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      order {\n        id\n        number\n      }\n      orderToken\n      priceChanged\n      previousTotal {\n        amount\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      order {\n        id\n        number\n      }\n      orderToken\n      priceChanged\n      previousTotal {\n        amount\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LeadTimePanel_LeadTime on LeadTime {\n    minBusinessDays\n    maxBusinessDays\n    shipsEarliest\n    shipsLatest\n  }\n"): (typeof documents)["\n  fragment LeadTimePanel_LeadTime on LeadTime {\n    minBusinessDays\n    maxBusinessDays\n    shipsEarliest\n    shipsLatest\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OptionGroup_ConfigurationGroup on ConfigurationGroup {\n    group {\n      id\n      key\n      name\n      description\n      kind\n      required\n      minSelect\n      maxSelect\n      maxLength\n      allowedCharacters\n      numberMin\n      numberMax\n      numberStep\n      unit\n      previewRole\n    }\n    none\n    options {\n      option {\n        id\n        key\n        name\n        description\n        leadDays\n        swatch\n        previewAsset\n      }\n      state\n      reasons {\n        message\n        selections {\n          group\n          option\n          text\n        }\n      }\n      priceDelta {\n        amount\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment OptionGroup_ConfigurationGroup on ConfigurationGroup {\n    group {\n      id\n      key\n      name\n      description\n      kind\n      required\n      minSelect\n      maxSelect\n      maxLength\n      allowedCharacters\n      numberMin\n      numberMax\n      numberStep\n      unit\n      previewRole\n    }\n    none\n    options {\n      option {\n        id\n        key\n        name\n        description\n        leadDays\n        swatch\n        previewAsset\n      }\n      state\n      reasons {\n        message\n        selections {\n          group\n          option\n          text\n        }\n      }\n      priceDelta {\n        amount\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PreviewPanel_Preview on Preview {\n    svg\n    layers {\n      group\n      option\n    }\n  }\n"): (typeof documents)["\n  fragment PreviewPanel_Preview on Preview {\n    svg\n    layers {\n      group\n      option\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PricePanel_Price on Price {\n    unit {\n      amount\n      currency\n    }\n    quantity\n    subtotal {\n      amount\n      currency\n    }\n    discount {\n      amount\n      currency\n    }\n    total {\n      amount\n      currency\n    }\n    lines {\n      label\n      amount {\n        amount\n        currency\n      }\n    }\n    tier\n    tiers {\n      minQuantity\n      discountBasisPoints\n    }\n    depositDue {\n      amount\n      currency\n    }\n    balanceDue {\n      amount\n      currency\n    }\n  }\n"): (typeof documents)["\n  fragment PricePanel_Price on Price {\n    unit {\n      amount\n      currency\n    }\n    quantity\n    subtotal {\n      amount\n      currency\n    }\n    discount {\n      amount\n      currency\n    }\n    total {\n      amount\n      currency\n    }\n    lines {\n      label\n      amount {\n        amount\n        currency\n      }\n    }\n    tier\n    tiers {\n      minQuantity\n      discountBasisPoints\n    }\n    depositDue {\n      amount\n      currency\n    }\n    balanceDue {\n      amount\n      currency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConfiguratorPage_Configuration on Configuration {\n    id\n    version\n    quantity\n    complete\n    valid\n    completions\n    notices\n    product {\n      id\n      slug\n      name\n    }\n    selections {\n      group\n      option\n      text\n    }\n    groups {\n      group {\n        key\n        name\n        required\n        kind\n      }\n      options {\n        option {\n          key\n          name\n        }\n      }\n      ...OptionGroup_ConfigurationGroup\n    }\n    price {\n      total {\n        amount\n        currency\n      }\n      ...PricePanel_Price\n    }\n    leadTime {\n      ...LeadTimePanel_LeadTime\n    }\n    preview {\n      ...PreviewPanel_Preview\n    }\n  }\n"): (typeof documents)["\n  fragment ConfiguratorPage_Configuration on Configuration {\n    id\n    version\n    quantity\n    complete\n    valid\n    completions\n    notices\n    product {\n      id\n      slug\n      name\n    }\n    selections {\n      group\n      option\n      text\n    }\n    groups {\n      group {\n        key\n        name\n        required\n        kind\n      }\n      options {\n        option {\n          key\n          name\n        }\n      }\n      ...OptionGroup_ConfigurationGroup\n    }\n    price {\n      total {\n        amount\n        currency\n      }\n      ...PricePanel_Price\n    }\n    leadTime {\n      ...LeadTimePanel_LeadTime\n    }\n    preview {\n      ...PreviewPanel_Preview\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Configurator_Payload on ConfigurationPayload {\n    configuration {\n      ...ConfiguratorPage_Configuration\n    }\n    changes {\n      group\n      from\n      to\n      message\n    }\n  }\n"): (typeof documents)["\n  fragment Configurator_Payload on ConfigurationPayload {\n    configuration {\n      ...ConfiguratorPage_Configuration\n    }\n    changes {\n      group\n      from\n      to\n      message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConfiguratorProduct($slug: String!) {\n    product(slug: $slug) {\n      id\n      slug\n      name\n      description\n      style\n      basePrice {\n        amount\n        currency\n      }\n      editionRemaining\n    }\n  }\n"): (typeof documents)["\n  query ConfiguratorProduct($slug: String!) {\n    product(slug: $slug) {\n      id\n      slug\n      name\n      description\n      style\n      basePrice {\n        amount\n        currency\n      }\n      editionRemaining\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Configuration($id: ID!) {\n    configuration(id: $id) {\n      ...ConfiguratorPage_Configuration\n    }\n  }\n"): (typeof documents)["\n  query Configuration($id: ID!) {\n    configuration(id: $id) {\n      ...ConfiguratorPage_Configuration\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConfigurationUpdated($id: ID!) {\n    configurationUpdated(id: $id) {\n      ...ConfiguratorPage_Configuration\n    }\n  }\n"): (typeof documents)["\n  subscription ConfigurationUpdated($id: ID!) {\n    configurationUpdated(id: $id) {\n      ...ConfiguratorPage_Configuration\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartConfiguration($input: StartConfigurationInput!) {\n    startConfiguration(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n"): (typeof documents)["\n  mutation StartConfiguration($input: StartConfigurationInput!) {\n    startConfiguration(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SelectOption($input: SelectOptionInput!) {\n    result: selectOption(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n"): (typeof documents)["\n  mutation SelectOption($input: SelectOptionInput!) {\n    result: selectOption(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClearSelection($input: ClearSelectionInput!) {\n    result: clearSelection(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n"): (typeof documents)["\n  mutation ClearSelection($input: ClearSelectionInput!) {\n    result: clearSelection(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetText($input: SetTextInput!) {\n    result: setText(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n"): (typeof documents)["\n  mutation SetText($input: SetTextInput!) {\n    result: setText(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetNumber($input: SetNumberInput!) {\n    result: setNumber(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n"): (typeof documents)["\n  mutation SetNumber($input: SetNumberInput!) {\n    result: setNumber(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetQuantity($input: SetQuantityInput!) {\n    result: setQuantity(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n"): (typeof documents)["\n  mutation SetQuantity($input: SetQuantityInput!) {\n    result: setQuantity(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetConfiguration($input: ResetConfigurationInput!) {\n    result: resetConfiguration(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n"): (typeof documents)["\n  mutation ResetConfiguration($input: ResetConfigurationInput!) {\n    result: resetConfiguration(input: $input) {\n      ...Configurator_Payload\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      name\n      role\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      name\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DesignerProducts {\n    products(first: 50) {\n      edges {\n        node {\n          id\n          slug\n          name\n          status\n          catalogVersion\n          draftGroups {\n            id\n            key\n            name\n            kind\n            active\n            options {\n              id\n              key\n              name\n              active\n            }\n          }\n          rules {\n            id\n            key\n            expression\n            message\n            enabled\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DesignerProducts {\n    products(first: 50) {\n      edges {\n        node {\n          id\n          slug\n          name\n          status\n          catalogVersion\n          draftGroups {\n            id\n            key\n            name\n            kind\n            active\n            options {\n              id\n              key\n              name\n              active\n            }\n          }\n          rules {\n            id\n            key\n            expression\n            message\n            enabled\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Compatibility($productId: ID!, $selections: [SelectionInput!]!) {\n    compatibility(productId: $productId, selections: $selections, draft: true) {\n      complete\n      valid\n      completions\n      groups {\n        group {\n          key\n          name\n        }\n        none\n        options {\n          option {\n            key\n            name\n          }\n          state\n          reasons {\n            message\n            selections {\n              group\n              option\n              text\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Compatibility($productId: ID!, $selections: [SelectionInput!]!) {\n    compatibility(productId: $productId, selections: $selections, draft: true) {\n      complete\n      valid\n      completions\n      groups {\n        group {\n          key\n          name\n        }\n        none\n        options {\n          option {\n            key\n            name\n          }\n          state\n          reasons {\n            message\n            selections {\n              group\n              option\n              text\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CompatibilityMatrix($productId: ID!, $groupA: String!, $groupB: String!) {\n    compatibilityMatrix(productId: $productId, groupA: $groupA, groupB: $groupB, draft: true) {\n      a\n      b\n      allowed\n    }\n  }\n"): (typeof documents)["\n  query CompatibilityMatrix($productId: ID!, $groupA: String!, $groupB: String!) {\n    compatibilityMatrix(productId: $productId, groupA: $groupA, groupB: $groupB, draft: true) {\n      a\n      b\n      allowed\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Lint($productId: ID!) {\n    lint(productId: $productId, draft: true) {\n      severity\n      code\n      message\n      group\n      option\n      rule\n    }\n  }\n"): (typeof documents)["\n  query Lint($productId: ID!) {\n    lint(productId: $productId, draft: true) {\n      severity\n      code\n      message\n      group\n      option\n      rule\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RuleImpact($productId: ID!, $expression: String!) {\n    ruleImpact(productId: $productId, expression: $expression, draft: true) {\n      countBefore\n      countAfter\n      changes {\n        group\n        option\n        before\n        after\n      }\n    }\n  }\n"): (typeof documents)["\n  query RuleImpact($productId: ID!, $expression: String!) {\n    ruleImpact(productId: $productId, expression: $expression, draft: true) {\n      countBefore\n      countAfter\n      changes {\n        group\n        option\n        before\n        after\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRule($input: CreateRuleInput!) {\n    createRule(input: $input) {\n      rule {\n        id\n        key\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateRule($input: CreateRuleInput!) {\n    createRule(input: $input) {\n      rule {\n        id\n        key\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PublishCatalog($input: PublishCatalogInput!) {\n    publishCatalog(input: $input) {\n      version\n      warnings {\n        severity\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation PublishCatalog($input: PublishCatalogInput!) {\n    publishCatalog(input: $input) {\n      version\n      warnings {\n        severity\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FindMyOrder($input: FindMyOrderInput!) {\n    findMyOrder(input: $input) {\n      message\n    }\n  }\n"): (typeof documents)["\n  mutation FindMyOrder($input: FindMyOrderInput!) {\n    findMyOrder(input: $input) {\n      message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrderDetail_Order on Order {\n    id\n    number\n    status\n    quantity\n    currency\n    createdAt\n    customerName\n    trackingNumber\n    total {\n      amount\n      currency\n    }\n    depositDue {\n      amount\n      currency\n    }\n    balanceDue {\n      amount\n      currency\n    }\n    amountPaid {\n      amount\n      currency\n    }\n    amountDue {\n      amount\n      currency\n    }\n    paymentDue {\n      kind\n      clientSecret\n      amount {\n        amount\n        currency\n      }\n    }\n    selections {\n      group\n      groupName\n      option\n      optionName\n      text\n    }\n    priceLines {\n      label\n      amount {\n        amount\n        currency\n      }\n    }\n    leadTime {\n      minBusinessDays\n      maxBusinessDays\n      shipsEarliest\n      shipsLatest\n    }\n    previewSvg\n    shipsEarliest\n    shipsLatest\n    events {\n      seq\n      status\n      kind\n      amount\n      note\n      at\n      trackingNumber\n    }\n    product {\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment OrderDetail_Order on Order {\n    id\n    number\n    status\n    quantity\n    currency\n    createdAt\n    customerName\n    trackingNumber\n    total {\n      amount\n      currency\n    }\n    depositDue {\n      amount\n      currency\n    }\n    balanceDue {\n      amount\n      currency\n    }\n    amountPaid {\n      amount\n      currency\n    }\n    amountDue {\n      amount\n      currency\n    }\n    paymentDue {\n      kind\n      clientSecret\n      amount {\n        amount\n        currency\n      }\n    }\n    selections {\n      group\n      groupName\n      option\n      optionName\n      text\n    }\n    priceLines {\n      label\n      amount {\n        amount\n        currency\n      }\n    }\n    leadTime {\n      minBusinessDays\n      maxBusinessDays\n      shipsEarliest\n      shipsLatest\n    }\n    previewSvg\n    shipsEarliest\n    shipsLatest\n    events {\n      seq\n      status\n      kind\n      amount\n      note\n      at\n      trackingNumber\n    }\n    product {\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Order($id: ID!) {\n    order(id: $id) {\n      ...OrderDetail_Order\n    }\n  }\n"): (typeof documents)["\n  query Order($id: ID!) {\n    order(id: $id) {\n      ...OrderDetail_Order\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RedeemSignInLink($input: RedeemSignInLinkInput!) {\n    redeemSignInLink(input: $input) {\n      order {\n        id\n      }\n      orderToken\n    }\n  }\n"): (typeof documents)["\n  mutation RedeemSignInLink($input: RedeemSignInLinkInput!) {\n    redeemSignInLink(input: $input) {\n      order {\n        id\n      }\n      orderToken\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderEvents($orderId: ID!, $after: Int) {\n    orderEvents(orderId: $orderId, after: $after) {\n      seq\n      status\n      kind\n      amount\n      note\n      at\n      trackingNumber\n    }\n  }\n"): (typeof documents)["\n  subscription OrderEvents($orderId: ID!, $after: Int) {\n    orderEvents(orderId: $orderId, after: $after) {\n      seq\n      status\n      kind\n      amount\n      note\n      at\n      trackingNumber\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PaymentSettings {\n    paymentSettings {\n      provider\n      publishableKey\n    }\n  }\n"): (typeof documents)["\n  query PaymentSettings {\n    paymentSettings {\n      provider\n      publishableKey\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;