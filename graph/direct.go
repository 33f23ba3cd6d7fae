package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/server/events"
	"github.com/atelier/atelier/server/live"
	"github.com/atelier/atelier/server/orders"
)

// planCacheSize bounds the compiled plans kept, one per distinct subscription document.
const planCacheSize = 256

// Direct serves the common shapes of the orderEvents subscription without gqlgen's executor:
// each event is encoded once per document, and every subscriber of that document and event
// gets the same bytes. Everything else is left to gqlgen. It is the whole of direct delivery:
// the shapes it serves (compile) and the hook into a transport (InterceptOperation, which takes
// the transport's live.Offer). Register it after every other operation interceptor, so that
// the limits and counters before it apply to direct subscriptions too.
//
// What Direct serves skips gqlgen's response and field middleware (AroundResponses,
// AroundFields, AroundRootFields): a field of OrderEvent is written here, not resolved. So
// only middleware that never touches an OrderEvent field may run beside it: Beside says which,
// and httpapi asks it about every extension it installs.
type Direct struct {
	orders *orders.Service
	bus    *events.Bus
	// plans maps a document and operation name to its plan; nil when Direct does not serve it.
	plans *lru.LRU[*plan]
}

// NewDirect returns a Direct over the orders service and the event bus of deps.
func NewDirect(deps Deps) *Direct {
	return &Direct{orders: deps.Orders, bus: deps.Bus, plans: lru.New[*plan](planCacheSize)}
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = (*Direct)(nil)

// ExtensionName names the extension.
func (*Direct) ExtensionName() string { return "DirectSubscriptions" }

// Validate accepts any schema.
func (*Direct) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation serves a subscription directly when its transport offers it (a
// live.Offer, made for subscriptions only) and Direct serves its shape; the transport then
// pulls nothing from the returned handler. Everything else goes on to gqlgen.
func (d *Direct) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	offer := live.OfferFrom(ctx)
	if offer == nil || !d.SubscribeDirect(ctx, offer.Send) {
		return next(ctx)
	}
	offer.Take()
	return func(context.Context) *graphql.Response { return nil }
}

// Beside returns why x must not run beside Direct, or nil: response and root-field middleware
// never may (they would see gqlgen's subscriptions but not Direct's), field middleware only
// when it is the ConfigurationEncoder, which answers Configuration fields alone (an OrderEvent
// has none). Loaders is the one response interceptor allowed: it only gives each response its
// own dataloaders, and Direct reads what it serves itself.
func (*Direct) Beside(x graphql.HandlerExtension) error {
	switch x.(type) {
	case Loaders, *Loaders:
		return nil
	case graphql.ResponseInterceptor, graphql.RootFieldInterceptor:
		return fmt.Errorf("%s intercepts responses or root fields, which Direct does not run",
			x.ExtensionName())
	case *ConfigurationEncoder:
		return nil
	case graphql.FieldInterceptor:
		return fmt.Errorf("%s intercepts fields, which Direct writes itself", x.ExtensionName())
	}
	return nil
}

// SubscribeDirect starts serving the operation of ctx without gqlgen's executor when it can:
// each result is passed to send as the JSON payload of a graphql-transport-ws `next` message
// (exactly the bytes gqlgen would produce for the response, i.e. {"data":{...}}), from one
// goroutine at a time, never blocking, until ctx is done. It returns false, having started
// nothing, for every operation it does not serve — including ones that fail (bad id,
// unauthorised, unknown order, database error): gqlgen then executes them and reports the error.
func (d *Direct) SubscribeDirect(ctx context.Context, send func(payload []byte)) bool {
	if !graphql.HasOperationContext(ctx) {
		return false
	}
	opCtx := graphql.GetOperationContext(ctx)
	if opCtx.Operation == nil {
		return false
	}
	key := opCtx.OperationName + "\x00" + opCtx.RawQuery
	p, ok := d.plans.Get(ctx, key)
	if !ok {
		p = compile(opCtx.Doc, opCtx.Operation)
		d.plans.Add(ctx, key, p)
	}
	if p == nil {
		return false
	}
	// The arguments come from this operation: the plan depends on the document only.
	root := opCtx.Operation.SelectionSet[0].(*ast.Field)
	args := root.ArgumentMap(opCtx.Variables)
	// As the generated argument unmarshalers and the resolver do.
	id, err := graphql.UnmarshalID(args["orderId"])
	if err != nil {
		return false
	}
	var after *int
	if v, ok := args["after"]; ok && v != nil {
		n, err := graphql.UnmarshalInt(v)
		if err != nil {
			return false
		}
		after = &n
	}
	oid, from, err := followOrder(ctx, d.orders, id, after)
	if err != nil {
		return false
	}
	// Join outlives this call: it gets the subscription's lifetime, which keeps none of the
	// operation's values alive.
	err = d.bus.Join(live.Lifetime(ctx), oid, from, func(ev *ent.OrderEvent) {
		if ev != nil {
			send(p.payload(ev))
		}
	})
	return err == nil
}

// followOrder checks that the viewer may follow orderID's events and returns the order's id and
// the seq to resume after (none or negative: the whole timeline), for the orderEvents resolver
// and Direct alike.
func followOrder(ctx context.Context, svc *orders.Service, orderID string, after *int) (oid, from int, err error) {
	if oid, err = entID(orderID); err != nil {
		return 0, 0, err
	}
	if _, err := svc.Get(ctx, oid); err != nil {
		return 0, 0, err
	}
	if after != nil {
		from = max(*after, 0)
	}
	return oid, from, nil
}

// plan is a compiled orderEvents document: the root response key and the event's fields in
// response order.
type plan struct {
	root   string
	fields []planField
	// last is the most recently encoded event: its subscribers share one encoding.
	last atomic.Pointer[encoded]
}

type planField struct {
	key   string
	value func(*ent.OrderEvent) graphql.Marshaler
}

type encoded struct {
	ev      *ent.OrderEvent
	payload []byte
}

// eventFields are the OrderEvent fields Direct serves, marshalled as the generated
// _OrderEvent_* field functions do.
var eventFields = map[string]func(*ent.OrderEvent) graphql.Marshaler{
	"__typename":     func(*ent.OrderEvent) graphql.Marshaler { return graphql.MarshalString("OrderEvent") },
	"id":             func(e *ent.OrderEvent) graphql.Marshaler { return graphql.MarshalIntID(e.ID) },
	"seq":            func(e *ent.OrderEvent) graphql.Marshaler { return graphql.MarshalInt(e.Seq) },
	"status":         func(e *ent.OrderEvent) graphql.Marshaler { return e.Status },
	"kind":           func(e *ent.OrderEvent) graphql.Marshaler { return e.Kind },
	"amount":         func(e *ent.OrderEvent) graphql.Marshaler { return graphql.MarshalInt64(e.Amount) },
	"note":           func(e *ent.OrderEvent) graphql.Marshaler { return graphql.MarshalString(e.Note) },
	"actor":          func(e *ent.OrderEvent) graphql.Marshaler { return graphql.MarshalString(e.Actor) },
	"trackingNumber": func(e *ent.OrderEvent) graphql.Marshaler { return graphql.MarshalString(e.TrackingNumber) },
	"at":             func(e *ent.OrderEvent) graphql.Marshaler { return graphql.MarshalTime(e.At) },
	"proofNumber":    func(e *ent.OrderEvent) graphql.Marshaler { return graphql.MarshalInt(e.ProofNumber) },
}

// compile returns the plan of op, or nil unless op is a subscription to exactly orderEvents
// selecting only scalar fields of OrderEvent, with no directive anywhere.
func compile(doc *ast.QueryDocument, op *ast.OperationDefinition) *plan {
	if op.Operation != ast.Subscription || len(op.Directives) > 0 || len(op.SelectionSet) != 1 {
		return nil
	}
	for _, v := range op.VariableDefinitions {
		if len(v.Directives) > 0 {
			return nil
		}
	}
	root, ok := op.SelectionSet[0].(*ast.Field)
	if !ok || root.Name != "orderEvents" || len(root.Directives) > 0 || root.Definition == nil {
		return nil
	}
	p := &plan{root: responseKey(root)}
	names := map[string]string{}
	if !p.collect(doc, root.SelectionSet, names, map[string]bool{}) || len(p.fields) == 0 {
		return nil
	}
	return p
}

// collect appends the fields of set in response order, as graphql.CollectFields orders them
// for an OrderEvent; false when set holds anything Direct does not serve.
func (p *plan) collect(doc *ast.QueryDocument, set ast.SelectionSet, names map[string]string, visited map[string]bool) bool {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			value, ok := eventFields[sel.Name]
			if !ok || len(sel.Directives) > 0 || len(sel.Arguments) > 0 || len(sel.SelectionSet) > 0 {
				return false
			}
			key := responseKey(sel)
			if name, seen := names[key]; seen {
				if name != sel.Name {
					return false // validation forbids it; never guess
				}
				continue // the first position wins
			}
			names[key] = sel.Name
			p.fields = append(p.fields, planField{key: key, value: value})
		case *ast.InlineFragment:
			if len(sel.Directives) > 0 || !onEvent(sel.TypeCondition) {
				return false
			}
			if !p.collect(doc, sel.SelectionSet, names, visited) {
				return false
			}
		case *ast.FragmentSpread:
			if len(sel.Directives) > 0 || doc == nil {
				return false
			}
			if visited[sel.Name] {
				continue // as CollectFields: a fragment is expanded once
			}
			visited[sel.Name] = true
			f := doc.Fragments.ForName(sel.Name)
			if f == nil || len(f.Directives) > 0 || !onEvent(f.TypeCondition) {
				return false
			}
			if !p.collect(doc, f.SelectionSet, names, visited) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// onEvent reports whether a fragment of type condition cond always applies to an OrderEvent.
func onEvent(cond string) bool {
	return cond == "" || cond == "OrderEvent" || cond == "Node"
}

func responseKey(f *ast.Field) string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Name
}

// payload returns the `next` payload of ev, encoding it only when it is not the last one.
func (p *plan) payload(ev *ent.OrderEvent) []byte {
	if e := p.last.Load(); e != nil && e.ev == ev {
		return e.payload
	}
	b := p.encode(ev)
	p.last.Store(&encoded{ev: ev, payload: b})
	return b
}

// encode builds the data as the generated code writes it (ResolveFieldStream around
// _OrderEvent's field set), then the response as json.Marshal(*graphql.Response) does, so the
// bytes are gqlgen's own, HTML escaping included.
func (p *plan) encode(ev *ent.OrderEvent) []byte {
	var data bytes.Buffer
	data.WriteByte('{')
	graphql.MarshalString(p.root).MarshalGQL(&data)
	data.WriteByte(':')
	data.Write(p.object(ev))
	data.WriteByte('}')
	b, err := json.Marshal(&graphql.Response{Data: data.Bytes()})
	if err != nil {
		// Unreachable: every marshaler above writes valid JSON. Still never crash a stream.
		return append(append([]byte(`{"data":`), data.Bytes()...), '}')
	}
	return b
}

// object is the event's field set, or null when a non-null field has no value (a zero time),
// as gqlgen nulls the object then.
func (p *plan) object(ev *ent.OrderEvent) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range p.fields {
		m := f.value(ev)
		if m == graphql.Null {
			return []byte("null")
		}
		if i > 0 {
			b.WriteByte(',')
		}
		graphql.MarshalString(f.key).MarshalGQL(&b)
		b.WriteByte(':')
		m.MarshalGQL(&b)
	}
	b.WriteByte('}')
	return b.Bytes()
}
