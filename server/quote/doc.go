// Package quote prices a configured strap and estimates when it ships.
//
// It is pure: no I/O, no clock (the caller passes "now"), no package-level state.
//
// # Money
//
// Every amount is an int64 in the currency's minor unit (cents for USD, yen for JPY);
// floats are never used. All arithmetic is checked: an input whose amounts would not fit in
// an int64 is rejected with an [*InputError] that wraps [ErrOverflow], never a panic or a
// silently wrapped number.
//
// # Rounding
//
// The tier discount is computed per piece and rounded down to a whole minor unit:
//
//	discount per piece = floor(Unit × tier basis points / 10000)
//	NetUnit            = Unit − discount per piece
//	Discount           = discount per piece × Quantity
//	Total              = Subtotal − Discount = NetUnit × Quantity
//
// so the customer never gets more than the advertised percentage (at most one minor unit
// per piece less), every piece in an order costs the same whole amount, and ordering more
// pieces of the same configuration never raises the price of a piece. When several tiers
// apply, the one with the largest discount wins, which keeps that guarantee even for
// tier lists that are not sorted or not increasing.
//
// The deposit is rounded up to a whole minor unit, so the workshop is never short of the
// agreed share; the balance takes the rest:
//
//	Deposit = ceil(Total × deposit basis points / 10000)
//	Balance = Total − Deposit
//
// The breakdown [Quote.Lines] holds the base price, each non-zero option delta and each
// surcharge (all times the quantity), then the tier discount as a negative line; the lines
// always add up exactly to [Quote.Total].
//
// # Lead time
//
// [Estimate] turns a build window in business days into ship dates with a [Calendar]:
// weekends (Saturday and Sunday) and holidays are skipped, and the order time is read in the
// workshop's time zone, so an order at 23:30 UTC on a Friday may already be a Saturday order
// in the workshop.
//
// # Delivery
//
// Workshop closures (Lunar New Year, August) are days without work, like holidays: build days
// skip them, so a ship date never falls inside one, and [LeadTime.Closures] names those
// between the order day and the latest ship date, so the customer sees why. [Arrive] adds a
// carrier's transit to the ship window, counted in [CarrierCalendar] days: Monday to Friday,
// without the workshop's holidays and closures (the carrier works then). [AddShipping] adds
// the shipping price as a line paid with the balance.
package quote
