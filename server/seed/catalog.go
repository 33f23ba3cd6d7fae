package seed

// The demo catalog: two hand-made strap models drawn from the workshop's real range. Prices are in
// US cents; lead days are business days added to the build window.

var hardware = groupDef{
	Key: "hardware", Name: "Hardware finish", Role: "hardware",
	Description: "Buckle and keeper metal, machined and finished by hand.",
	Options: []optionDef{
		{"brushed-steel", "Brushed steel", 0, 0, "#a7abb0", "hardware/brushed"},
		{"polished-steel", "Polished steel", 0, 0, "#d9dde2", "hardware/polished"},
		{"black-pvd", "Black PVD", 1500, 1, "#2b2b2e", "hardware/pvd"},
		{"yellow-gold", "Yellow gold plated", 3500, 2, "#d4af37", "hardware/gold"},
		{"rose-gold", "Rose gold plated", 3500, 2, "#c98e7a", "hardware/rose-gold"},
	},
}

var buckle = groupDef{
	Key: "buckle", Name: "Buckle", Role: "buckle",
	Description: "How the strap closes on the wrist.",
	Options: []optionDef{
		{"pin", "Pin buckle", 0, 0, "", "buckle/pin"},
		{"deployant", "Deployant clasp", 4500, 1, "", "buckle/deployant"},
		{"butterfly", "Butterfly clasp", 5500, 2, "", "buckle/butterfly"},
	},
}

var caseSize = groupDef{
	Key: "case_size", Name: "Case size & lug width", Role: "size",
	Description: "The lug width of your watch, measured between the lugs.",
	Options: []optionDef{
		{"18mm", "18 mm lugs (cases 34–38 mm)", 0, 0, "", "lug/18"},
		{"20mm", "20 mm lugs (cases 38–41 mm)", 0, 0, "", "lug/20"},
		{"22mm", "22 mm lugs (cases 42–45 mm)", 500, 0, "", "lug/22"},
		{"24mm", "24 mm lugs (cases 46 mm and up)", 1000, 0, "", "lug/24"},
	},
}

var colour = groupDef{
	Key: "colour", Name: "Colour", Role: "leather",
	Description: "Dyed by hand in drum or by brush.",
	Options: []optionDef{
		{"black", "Black", 0, 0, "#1c1b1a", ""},
		{"espresso", "Espresso", 0, 0, "#3b2418", ""},
		{"cognac", "Cognac", 0, 0, "#9a4a1f", ""},
		{"tan", "Tan", 0, 0, "#b5793f", ""},
		{"oxblood", "Oxblood (colour #8)", 1000, 0, "#5a1a1d", ""},
		{"navy", "Navy", 0, 0, "#1f2a44", ""},
		{"forest", "Forest green", 0, 0, "#263d2c", ""},
		{"grey", "Slate grey", 0, 0, "#5d6166", ""},
		{"natural", "Natural (undyed)", 0, 0, "#d8b98c", ""},
	},
}

var stitching = groupDef{
	Key: "stitching", Name: "Stitching colour", Role: "stitching",
	Description: "Waxed linen thread, saddle-stitched with two needles.",
	Options: []optionDef{
		{"tonal", "Tonal (matches the leather)", 0, 0, "#4a3a30", "thread/tonal"},
		{"ivory", "Ivory", 0, 0, "#efe6d2", "thread/ivory"},
		{"natural", "Natural linen", 0, 0, "#d6c29a", "thread/natural"},
		{"black", "Black", 0, 0, "#151515", "thread/black"},
		{"red", "Signal red", 0, 0, "#b3242b", "thread/red"},
		{"navy", "Navy", 0, 0, "#22304f", "thread/navy"},
		{"yellow", "Racing yellow", 500, 0, "#e4b520", "thread/yellow"},
	},
}

var edge = groupDef{
	Key: "edge", Name: "Edge finish", Role: "edge",
	Description: "How the cut edges of the leather are sealed.",
	Options: []optionDef{
		{"painted", "Painted (multi-layer)", 0, 0, "#2a2522", "edge/painted"},
		{"burnished", "Burnished with beeswax", 1500, 1, "#6b4a33", "edge/burnished"},
		{"turned", "Turned (folded) edge", 2500, 2, "#4f3b2e", "edge/turned"},
	},
}

var wrist = groupDef{
	Key: "wrist", Name: "Wrist size", Kind: "NUMBER", Role: "size",
	Description: "Your wrist circumference; we cut both pieces to fit.",
	NumberMin:   150, NumberMax: 210, NumberStep: 5, Unit: "mm",
}

var monogram = groupDef{
	Key: "monogram", Name: "Monogram", Kind: "TEXT", Optional: true, Role: "monogram",
	Description: "Up to three initials, heat-stamped on the short piece.",
	MaxLength:   3, Allowed: "ABCDEFGHIJKLMNOPQRSTUVWXYZ.&",
}

var lining = groupDef{
	Key: "lining", Name: "Lining", Optional: true, Role: "lining",
	Description: "The underside that touches your skin.",
	Options: []optionDef{
		{"calf", "Calf leather lining", 0, 0, "#a88463", "lining/calf"},
		{"alcantara", "Alcantara", 1500, 1, "#3d3d3d", "lining/alcantara"},
		{"rubber", "Waterproof rubber", 2000, 1, "#202020", "lining/rubber"},
	},
}

var extras = groupDef{
	Key: "extras", Name: "Extras", Kind: "MULTI", Optional: true, MaxSelect: 2, Role: "",
	Description: "Up to two finishing touches.",
	Options: []optionDef{
		{"quick-release", "Quick-release spring bars", 1500, 0, "", "extra/quick-release"},
		{"padded", "Padded (raised centre)", 2000, 1, "", "extra/padded"},
		{"gift-box", "Walnut gift box", 2500, 0, "", "extra/gift-box"},
	},
}

var sportLeather = groupDef{
	Key: "leather", Name: "Leather grade", Role: "leather",
	Description: "Every hide is chosen by hand at the tannery.",
	Options: []optionDef{
		{"calf", "Box calf", 0, 0, "", "leather/calf"},
		{"vegetable-tanned", "Vegetable-tanned (Tuscany)", 2000, 0, "", "leather/vegtan"},
		{"suede", "Suede", 1000, 0, "", "leather/suede"},
		{"shell-cordovan", "Shell cordovan (Horween)", 9500, 5, "", "leather/cordovan"},
		{"ostrich", "Ostrich", 16000, 5, "", "leather/ostrich"},
		{"alligator", "Alligator (CITES certified)", 24000, 7, "", "leather/alligator"},
	},
}

var stitchPattern = groupDef{
	Key: "stitch_pattern", Name: "Stitching pattern", Role: "stitching",
	Description: "How the thread runs along the strap.",
	Options: []optionDef{
		{"saddle", "Saddle stitch", 0, 0, "", "stitch/saddle"},
		{"box", "Box stitch at the lugs", 500, 0, "", "stitch/box"},
		{"cross", "Cross stitch", 1500, 1, "", "stitch/cross"},
		{"stitchless", "Stitch-less (glued and pressed)", 0, 0, "", "stitch/none"},
	},
}

// commonRules constrain both products. Several form chains: alligator needs a painted edge and a
// painted edge takes no cross stitch, so alligator rules out cross stitching in two steps.
var commonRules = []ruleDef{
	{"cordovan-thread", "leather = shell-cordovan -> stitching in {natural, black, ivory, tonal}",
		"Shell cordovan is stitched with waxed linen in natural, black, ivory or tonal thread only."},
	{"cordovan-colours", "leather = shell-cordovan -> colour in {black, espresso, oxblood, cognac}",
		"Shell cordovan comes from the tannery in black, espresso, colour #8 and cognac only."},
	{"alligator-edge", "leather = alligator -> edge = painted",
		"Alligator scales are sealed with painted edges."},
	{"painted-no-cross", "edge = painted -> stitch_pattern != cross",
		"Cross stitching needs a burnished or turned edge to sit on."},
	{"exotic-width", "leather in {alligator, ostrich} -> case_size in {18mm, 20mm, 22mm}",
		"Exotic hides come in panels too narrow for 24 mm straps."},
	{"suede-edge", "leather = suede -> edge = turned",
		"Suede cannot be painted or burnished: its edges are turned."},
	{"turned-lining", "edge = turned -> lining != rubber",
		"A turned edge cannot be bonded to a rubber lining."},
	{"natural-vegtan", "colour = natural -> leather = vegetable-tanned",
		"Only vegetable-tanned leather is sold undyed."},
	{"deployant-width", "buckle = deployant -> case_size != 18mm",
		"Our deployant clasp needs at least 20 mm of strap."},
	{"butterfly-steel", "buckle = butterfly -> hardware in {brushed-steel, polished-steel}",
		"The butterfly clasp is machined in steel only."},
	{"padded-stitch", "extras = padded -> stitch_pattern in {saddle, box}",
		"A padded strap must be stitched all round to hold its filling."},
	{"padded-lining", "extras = padded -> lining != none",
		"A padded strap needs a lining to close the padding."},
	{"suede-monogram", "monogram = filled -> leather != suede",
		"Suede's nap does not hold a heat-stamped monogram."},
	{"small-wrist", "wrist in {150, 155} -> case_size != 24mm",
		"A 24 mm strap is too wide for wrists under 160 mm."},
	{"stitchless-thread", "stitch_pattern = stitchless -> stitching = tonal",
		"Stitch-less straps are finished with tonal thread at the keeper only."},
}

// products is the demo catalog.
var products = []productDef{
	{
		Slug: "heritage-sport", Name: "Heritage Sport", Style: "sport",
		Description: "A rugged everyday strap, cut from a single hide and stitched by hand. " +
			"Made to order in our workshop.",
		BasePrice: 12900, BuildMin: 3, BuildMax: 5,
		Groups: []groupDef{caseSize, sportLeather, colour, stitching, stitchPattern, edge,
			hardware, buckle, lining, extras, wrist, monogram},
		Rules: append(commonRules, ruleDef{"sport-no-butterfly", "buckle = butterfly -> extras != quick-release",
			"Quick-release bars cannot carry a butterfly clasp's load."}),
		PriceRules: []priceRuleDef{
			{"Exotic leather hand-finishing", "leather in {alligator, ostrich}", 3500},
			{"Monogram heat-stamping", "monogram = filled", 1500},
		},
		Tiers: []tierDef{{5, 500}, {10, 1000}, {20, 1500}},
	},
	{
		Slug: "atelier-dress", Name: "Atelier Dress", Style: "dress",
		Description: "A slim, tapered dress strap with a hand-rolled centre and painted edges, " +
			"finished to the standard of fine leather goods.",
		BasePrice: 18900, BuildMin: 5, BuildMax: 7,
		// Fine dress straps are often monogrammed: the customer approves a proof before the cut.
		RequiresApproval: true,
		Groups: []groupDef{caseSize, dressLeather, colour, stitching, stitchPattern, edge,
			hardware, buckle, lining, extras, wrist, monogram},
		Rules: append(commonRules, ruleDef{"dress-thin", "leather = alligator -> extras != padded",
			"Our dress alligator is cut thin and cannot be padded."}),
		PriceRules: []priceRuleDef{
			{"Exotic leather hand-finishing", "leather in {alligator, ostrich}", 4500},
			{"Monogram heat-stamping", "monogram = filled", 1500},
			{"Precious pairing: hand-polished gold", "leather = alligator and hardware in {yellow-gold, rose-gold}", 2500},
		},
		Tiers: []tierDef{{5, 500}, {10, 1000}, {20, 1500}},
	},
}

var dressLeather = groupDef{
	Key: "leather", Name: "Leather grade", Role: "leather",
	Description: "Fine, thin hides chosen for a close fit under the cuff.",
	Options: []optionDef{
		{"calf", "Barenia calf", 0, 0, "", "leather/calf"},
		{"vegetable-tanned", "Vegetable-tanned (Tuscany)", 1500, 0, "", "leather/vegtan"},
		{"suede", "Suede", 500, 0, "", "leather/suede"},
		{"shell-cordovan", "Shell cordovan (Horween)", 8500, 5, "", "leather/cordovan"},
		{"ostrich", "Ostrich", 14000, 5, "", "leather/ostrich"},
		{"alligator", "Alligator (CITES certified)", 21000, 7, "", "leather/alligator"},
	},
}
