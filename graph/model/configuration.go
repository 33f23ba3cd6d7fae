package model

// Configuration is the GraphQL view of a configuration session; its product is resolved apart.
type Configuration struct {
	ID             string                `json:"id"`
	Version        int                   `json:"version"`
	ProductID      int                   `json:"-"`
	CatalogVersion int                   `json:"catalogVersion"`
	Quantity       int                   `json:"quantity"`
	Complete       bool                  `json:"complete"`
	Valid          bool                  `json:"valid"`
	Completions    string                `json:"completions"`
	Selections     []*Selection          `json:"selections"`
	Groups         []*ConfigurationGroup `json:"groups"`
	Price          *Price                `json:"price"`
	LeadTime       *LeadTime             `json:"leadTime"`
	Preview        *Preview              `json:"preview"`
	Notices        []string              `json:"notices"`
	// Destination is the country it ships to, nil until chosen.
	Destination *string `json:"destination,omitempty"`
	// View, when set, identifies the cached, immutable computed view (a *pageview.View) that
	// complete, valid, completions, groups, price, leadTime and preview were built from, so
	// that what is derived from those fields can be cached under it. Nil when they were built
	// for this value alone.
	View any `json:"-"`
	// ShippingKey, when set, identifies what price and leadTime add to the view for the
	// destination (its zone, transit and price), so their cached encodings are told apart.
	ShippingKey any `json:"-"`
}

// StartConfigurationInput opens a session.
type StartConfigurationInput struct {
	ProductID int  `json:"productId"`
	Quantity  *int `json:"quantity,omitempty"`
}

// SelectOptionInput chooses an option.
type SelectOptionInput struct {
	ConfigurationID  string `json:"configurationId"`
	Version          int    `json:"version"`
	Group            string `json:"group"`
	Option           string `json:"option"`
	ResolveConflicts *bool  `json:"resolveConflicts,omitempty"`
}

// ClearSelectionInput clears a choice.
type ClearSelectionInput struct {
	ConfigurationID string  `json:"configurationId"`
	Version         int     `json:"version"`
	Group           string  `json:"group"`
	Option          *string `json:"option,omitempty"`
}

// SetTextInput sets a TEXT group.
type SetTextInput struct {
	ConfigurationID  string `json:"configurationId"`
	Version          int    `json:"version"`
	Group            string `json:"group"`
	Text             string `json:"text"`
	ResolveConflicts *bool  `json:"resolveConflicts,omitempty"`
}

// SetNumberInput sets a NUMBER group.
type SetNumberInput struct {
	ConfigurationID  string `json:"configurationId"`
	Version          int    `json:"version"`
	Group            string `json:"group"`
	Value            int    `json:"value"`
	ResolveConflicts *bool  `json:"resolveConflicts,omitempty"`
}

// SetQuantityInput sets the number of pieces.
type SetQuantityInput struct {
	ConfigurationID string `json:"configurationId"`
	Version         int    `json:"version"`
	Quantity        int    `json:"quantity"`
}

// ResetConfigurationInput starts a configuration over.
type ResetConfigurationInput struct {
	ConfigurationID string `json:"configurationId"`
	Version         int    `json:"version"`
}
