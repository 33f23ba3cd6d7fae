package orders

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/atelier/atelier/server/bag"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/quote"
)

// BagInput is an order of a whole bag.
type BagInput struct {
	BagID          string
	IdempotencyKey string
	Customer       Customer
	Address        Address
}

// PlaceBag orders every line of bag in.BagID as one order: one deposit, one payment flow, one
// build. The server prices every line again (product and bundle tiers across the bag), refuses
// a bag below a minimum, an incomplete or expired line, a closed pre-order window or a sold-out
// edition (counting every line), and freezes a snapshot per line. The same idempotency key
// always returns the same order.
func (s *Service) PlaceBag(ctx context.Context, bin BagInput) (*Placed, error) {
	in := PlaceInput{ConfigurationID: bin.BagID, IdempotencyKey: bin.IdempotencyKey,
		Customer: bin.Customer, Address: bin.Address}
	if err := validatePlace(&in); err != nil {
		return nil, err
	}
	if existing, err := s.byKey(ctx, in.IdempotencyKey, bin.BagID); existing != nil || err != nil {
		return existing, err
	}
	priced, err := s.bags.Get(ctx, bin.BagID)
	if err != nil {
		return nil, err
	}
	if err := priced.Orderable(); err != nil {
		return nil, err
	}
	now := s.now()
	d := &draft{in: in, source: bin.BagID}
	for _, l := range priced.Lines {
		if err := orderable(l.Product, now); err != nil {
			return nil, err
		}
		snap := lineSnapshot(l)
		d.lines = append(d.lines, lineDraft{
			product: l.Product, configurationID: l.ConfigurationID, quantity: l.Quantity,
			unit: snap.Unit, discount: snap.Discount, total: snap.Total, snap: snap,
		})
		lead := l.Result.View.Lead
		if !d.shipsLatest.IsValid() || lead.ShipsLatest.After(d.shipsLatest) {
			d.shipsLatest = lead.ShipsLatest
		}
		if !d.shipsEarliest.IsValid() || lead.ShipsEarliest.After(d.shipsEarliest) {
			d.shipsEarliest = lead.ShipsEarliest
		}
	}
	// One shipping line for the whole order, to the address country's zone: the bag priced
	// for that country.
	dest, _, err := s.bags.ShipTo(ctx, priced, "shippingAddress.country", in.Address.Country)
	if err != nil {
		return nil, err
	}
	if d.snap, err = shipped(bagSnapshot(d.lines, priced.Quote), dest); err != nil {
		return nil, err
	}
	placed, err := s.placeDraft(ctx, d, now)
	if err != nil {
		return nil, err
	}
	if placed.Order.Total != priced.Shipped.Total {
		// The bag showed another total: it shipped elsewhere (or nowhere yet).
		placed.PriceChanged, placed.PreviousTotal = true, priced.Shipped.Total
	}
	return placed, nil
}

// lineSnapshot freezes a bag line: the configuration as named now, priced within the bag (its
// tier is the bag's, counted over every line of its product or bundle).
func lineSnapshot(l bag.PricedLine) *catalog.OrderSnapshot {
	snap := SnapshotOf(l.Result, l.Product)
	q, price := l.Quote, l.Result.View.Price
	snap.Unit, snap.Subtotal, snap.Discount, snap.Total = price.Unit, q.Subtotal, q.Discount, q.Total
	snap.Deposit, snap.Balance = q.Deposit, q.Total-q.Deposit
	// The configuration's own tier line gives way to the bag's.
	snap.Lines = snap.Lines[:0]
	for _, pl := range price.Lines {
		if pl.Amount < 0 && strings.HasPrefix(pl.Label, "Quantity tier") {
			continue
		}
		snap.Lines = append(snap.Lines, catalog.PriceLine{Label: pl.Label, Amount: pl.Amount})
	}
	if q.Discount != 0 {
		snap.Lines = append(snap.Lines, catalog.PriceLine{Label: q.Label, Amount: -q.Discount})
	}
	return snap
}

// bagSnapshot is an order of several lines as a whole, as emails and lists show it: the
// products' names, every line's selections (each group named after its line), the first
// line's preview, every piece, the sum of the lines' amounts, one price line per order line,
// and the longest build window.
func bagSnapshot(lines []lineDraft, q quote.BagQuote) *catalog.OrderSnapshot {
	first := lines[0].snap
	if len(lines) == 1 {
		return first
	}
	snap := *first
	snap.Quantity = q.Pieces
	snap.Subtotal, snap.Discount, snap.Total = q.Subtotal, q.Discount, q.Total
	snap.Deposit, snap.Balance = q.Deposit, q.Balance
	snap.Unit = 0
	snap.Lines, snap.Selections = nil, nil
	var names []string
	for i, l := range lines {
		if !slices.Contains(names, l.snap.ProductName) {
			names = append(names, l.snap.ProductName)
		}
		for _, sel := range l.snap.Selections {
			sel.GroupName = fmt.Sprintf("%d. %s · %s", i+1, l.snap.ProductName, sel.GroupName)
			snap.Selections = append(snap.Selections, sel)
		}
		label := l.snap.ProductName
		if l.quantity > 1 {
			label = fmt.Sprintf("%s × %d", label, l.quantity)
		}
		snap.Lines = append(snap.Lines, catalog.PriceLine{Label: label, Amount: l.total})
		snap.LeadDaysMin = max(snap.LeadDaysMin, l.snap.LeadDaysMin)
		snap.LeadDaysMax = max(snap.LeadDaysMax, l.snap.LeadDaysMax)
		snap.ShipsEarliest = max(snap.ShipsEarliest, l.snap.ShipsEarliest)
		snap.ShipsLatest = max(snap.ShipsLatest, l.snap.ShipsLatest)
	}
	snap.ProductName = strings.Join(names, " + ")
	return &snap
}
