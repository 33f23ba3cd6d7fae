package quote

// MinorUnitDigits returns the number of decimal digits of the minor unit of an ISO 4217
// currency code (2 for "USD", 0 for "JPY", 3 for "KWD") and whether the code is supported.
// Codes are upper case; anything else is unsupported.
func MinorUnitDigits(code string) (int, bool) {
	switch code {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND",
		"VUV", "XAF", "XOF", "XPF":
		return 0, true
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3, true
	case "AED", "ARS", "AUD", "BGN", "BRL", "CAD", "CHF", "CNY", "COP", "CZK", "DKK", "EGP",
		"EUR", "GBP", "HKD", "HUF", "IDR", "ILS", "INR", "KZT", "MAD", "MXN", "MYR", "NOK",
		"NZD", "PEN", "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "SAR", "SEK", "SGD", "THB",
		"TRY", "TWD", "UAH", "USD", "ZAR":
		return 2, true
	}
	return 0, false
}
