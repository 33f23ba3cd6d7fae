// Package catalog holds the published, immutable form of a product's catalog and of an ordered
// configuration. Published versions are stored as JSON snapshots so that customers, sessions and
// orders always see exactly what was published, whatever designers edit in the draft since.
// Pure: no I/O; the studio package stores and loads the snapshots.
package catalog

// Snapshot is one published catalog version of a product: everything the configurator engine, the
// quote and the preview need, denormalised.
type Snapshot struct {
	// ProductID is the ent ID of the product.
	ProductID int `json:"productId"`
	// Version is the catalog version this snapshot was published as.
	Version int `json:"version"`
	// Slug is the product's URL handle.
	Slug string `json:"slug"`
	// Name is the product's display name.
	Name string `json:"name"`
	// Style is the preview silhouette (`sport`, `dress` or empty).
	Style string `json:"style"`
	// Currency is the ISO 4217 code of every amount.
	Currency string `json:"currency"`
	// BasePrice is the price of one strap before options, in minor units.
	BasePrice int64 `json:"basePrice"`
	// BuildDaysMin is the shortest base build window in business days.
	BuildDaysMin int `json:"buildDaysMin"`
	// BuildDaysMax is the longest base build window in business days.
	BuildDaysMax int `json:"buildDaysMax"`
	// PiecesPerExtraDay adds a business day per this many pieces beyond the first (0: none).
	PiecesPerExtraDay int `json:"piecesPerExtraDay"`
	// DepositBasisPoints is the deposit share due at ordering (3000 = 30%).
	DepositBasisPoints int `json:"depositBasisPoints"`
	// Groups are the option groups in page order.
	Groups []Group `json:"groups"`
	// Rules are the enabled compatibility rules.
	Rules []Rule `json:"rules"`
	// PriceRules are the enabled conditional surcharges.
	PriceRules []PriceRule `json:"priceRules"`
	// Tiers are the quantity tiers, by ascending minimum quantity.
	Tiers []Tier `json:"tiers"`
}

// Group is an option group of a snapshot.
type Group struct {
	ID                int      `json:"id"`
	Key               string   `json:"key"`
	Name              string   `json:"name"`
	Description       string   `json:"description,omitempty"`
	Kind              string   `json:"kind"`
	Required          bool     `json:"required"`
	MinSelect         int      `json:"minSelect,omitempty"`
	MaxSelect         int      `json:"maxSelect,omitempty"`
	MaxLength         int      `json:"maxLength,omitempty"`
	AllowedCharacters string   `json:"allowedCharacters,omitempty"`
	NumberMin         int      `json:"numberMin,omitempty"`
	NumberMax         int      `json:"numberMax,omitempty"`
	NumberStep        int      `json:"numberStep,omitempty"`
	Unit              string   `json:"unit,omitempty"`
	PreviewRole       string   `json:"previewRole,omitempty"`
	Options           []Option `json:"options,omitempty"`
}

// Option is an option of a snapshot group.
type Option struct {
	ID           int    `json:"id"`
	Key          string `json:"key"`
	Name         string `json:"name"`
	Description  string `json:"description,omitempty"`
	PriceDelta   int64  `json:"priceDelta"`
	LeadDays     int    `json:"leadDays,omitempty"`
	Swatch       string `json:"swatch,omitempty"`
	PreviewAsset string `json:"previewAsset,omitempty"`
}

// Rule is an enabled compatibility rule of a snapshot.
type Rule struct {
	ID         int    `json:"id"`
	Key        string `json:"key"`
	Expression string `json:"expression"`
	Message    string `json:"message"`
}

// PriceRule is an enabled conditional surcharge of a snapshot.
type PriceRule struct {
	ID        int    `json:"id"`
	Label     string `json:"label"`
	Condition string `json:"condition"`
	Amount    int64  `json:"amount"`
}

// Tier is a quantity tier of a snapshot.
type Tier struct {
	MinQuantity         int `json:"minQuantity"`
	DiscountBasisPoints int `json:"discountBasisPoints"`
}

// OrderSnapshot is the immutable record of what was ordered: later catalog changes never alter it.
type OrderSnapshot struct {
	ProductSlug    string         `json:"productSlug"`
	ProductName    string         `json:"productName"`
	CatalogVersion int            `json:"catalogVersion"`
	Quantity       int            `json:"quantity"`
	Currency       string         `json:"currency"`
	Selections     []OrderedValue `json:"selections"`
	Lines          []PriceLine    `json:"lines"`
	Unit           int64          `json:"unit"`
	Subtotal       int64          `json:"subtotal"`
	Discount       int64          `json:"discount"`
	Total          int64          `json:"total"`
	Deposit        int64          `json:"deposit"`
	Balance        int64          `json:"balance"`
	LeadDaysMin    int            `json:"leadDaysMin"`
	LeadDaysMax    int            `json:"leadDaysMax"`
	ShipsEarliest  string         `json:"shipsEarliest"`
	ShipsLatest    string         `json:"shipsLatest"`
	PreviewSVG     string         `json:"previewSvg"`
	// Shipping is the destination zone, transit and price frozen at placing; nil on orders
	// placed before shipping zones existed.
	Shipping *OrderShipping `json:"shipping,omitempty"`
}

// OrderShipping is where an order ships, as priced when it was placed.
type OrderShipping struct {
	Country        string `json:"country"`
	ZoneID         int    `json:"zoneId"`
	ZoneName       string `json:"zoneName"`
	TransitMinDays int    `json:"transitMinDays"`
	TransitMaxDays int    `json:"transitMaxDays"`
	// Price is in minor units of the order's currency; it is one of the order's price lines.
	Price int64 `json:"price"`
}

// OrderedValue is one chosen value of an order, with the names shown at the time.
type OrderedValue struct {
	Group      string `json:"group"`
	GroupName  string `json:"groupName"`
	Option     string `json:"option,omitempty"`
	OptionName string `json:"optionName,omitempty"`
	Text       string `json:"text,omitempty"`
}

// PriceLine is one line of a price breakdown, in minor units.
type PriceLine struct {
	Label  string `json:"label"`
	Amount int64  `json:"amount"`
}
