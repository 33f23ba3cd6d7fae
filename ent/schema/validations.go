package schema

import "regexp"

var (
	// slugPattern accepts lower-case URL handles such as `heritage-sport`.
	slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// keyPattern accepts the keys of groups and options that rules refer to.
	keyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	// currencyPattern accepts ISO 4217 alphabetic codes.
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
	// colourPattern accepts `#rrggbb` swatch colours.
	colourPattern = regexp.MustCompile(`^(#[0-9a-fA-F]{6})?$`)
)
