package graph

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/atelier/atelier/graph/model"
	"github.com/atelier/atelier/server/respbuf"
)

// Sizes of the ConfigurationEncoder's caches.
const (
	// encodePlanCacheSize bounds the compiled selection plans, one per Configuration field of
	// each distinct document.
	encodePlanCacheSize = 256
	// DefaultEncodedViewCacheSize bounds the encoded view parts kept (one per computed view,
	// field and selection; ~20 KB each for the SPA's groups).
	DefaultEncodedViewCacheSize = 2048
)

// ConfigurationEncoder is a gqlgen field interceptor that answers every field of type
// Configuration (startConfiguration's and the other edits' payloads, the configuration query)
// by writing the JSON of its selection set directly from the model, with no per-field context,
// middleware or goroutine, instead of gqlgen's generic executor. The bytes are the ones gqlgen
// writes for the same document, variables and state (TestConfigurationEncoderMatchesGqlgen): the
// same field collection (graphql.CollectFields: fragments, aliases, @skip/@include), the same
// scalar encodings, and the product field still executed by gqlgen's own generated code.
//
// The view-dependent fields (groups, price, leadTime, preview: ~95 % of a step's answer) are
// kept encoded, from the second time a view is encoded, in a bounded cache keyed by the view
// (itself cached by catalog version, canonical choices, quantity and day) and the canonical
// selection; losing an entry only costs encoding it again.
//
// Anything it does not handle exactly like gqlgen is left to gqlgen: subscriptions, @defer,
// directives other than @skip and @include, unknown fields, missing values in non-null
// positions. Field middleware added after it does not run below a Configuration it answers.
type ConfigurationEncoder struct {
	es    *executableSchema
	plans *lru.Cache[planKey, cachedPlan]
	views *lru.Cache[viewPartKey, []byte]
	// seen admits a part to views on its second encoding only (see viewPart).
	seen doorkeeper
	// served counts the Configuration values written by the encoder, hits the view parts taken
	// from the cache.
	served, hits atomic.Uint64
	// sizeHint is the size of the last answer, the next one's initial buffer.
	sizeHint atomic.Int64
}

// Served returns how many Configuration values the encoder has written, and how many of their
// view-dependent parts came from its cache.
func (e *ConfigurationEncoder) Served() (configurations, cachedParts uint64) {
	return e.served.Load(), e.hits.Load()
}

// NewConfigurationEncoder returns the encoder for schema (from NewSchema), caching up to
// viewCacheSize encoded view parts (DefaultEncodedViewCacheSize when ≤ 0). It panics when schema
// was not built by NewSchema.
func NewConfigurationEncoder(schema graphql.ExecutableSchema, viewCacheSize int) *ConfigurationEncoder {
	es, ok := schema.(*executableSchema)
	if !ok {
		panic(fmt.Sprintf("graph.NewConfigurationEncoder: %T is not a schema from NewSchema", schema))
	}
	if viewCacheSize <= 0 {
		viewCacheSize = DefaultEncodedViewCacheSize
	}
	plans, _ := lru.New[planKey, cachedPlan](encodePlanCacheSize)
	views, _ := lru.New[viewPartKey, []byte](viewCacheSize)
	return &ConfigurationEncoder{es: es, plans: plans, views: views,
		seen: newDoorkeeper(2 * viewCacheSize)}
}

var _ interface {
	graphql.HandlerExtension
	graphql.FieldInterceptor
} = (*ConfigurationEncoder)(nil)

// ExtensionName names the extension.
func (*ConfigurationEncoder) ExtensionName() string { return "ConfigurationEncoder" }

// Validate accepts any schema (NewConfigurationEncoder has checked it).
func (*ConfigurationEncoder) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptField answers Configuration fields (see ConfigurationEncoder) and passes every other
// field through.
func (e *ConfigurationEncoder) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || fc.Field.Definition == nil ||
		fc.Field.Definition.Type.Elem != nil ||
		fc.Field.Definition.Type.NamedType != "Configuration" || !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	res, err := next(ctx)
	m, ok := res.(*model.Configuration)
	if err != nil || !ok || m == nil {
		return res, err
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation == ast.Subscription {
		return res, err
	}
	p := e.plan(oc, fc.Field)
	if p == nil {
		return res, nil
	}
	scope := respbuf.From(ctx)
	enc := encoder{e: e, buf: scope.Get(int(e.sizeHint.Load()) + 256)}
	if !enc.configuration(p, m) {
		return res, nil
	}
	enc.flush()
	e.served.Add(1)
	e.sizeHint.Store(int64(len(enc.buf)))
	if len(enc.holes) == 0 {
		return answer{enc.parts, scope}, nil
	}
	// Fields with resolvers (product) run last, through gqlgen's generated code, so that nothing
	// has been executed when the encoder gives the field back to gqlgen above.
	fc.Result = m
	ec := newExecutionContext(oc, e.es, nil)
	for _, h := range enc.holes {
		v := ec._Configuration_product(ctx, h.field, m)
		if v == graphql.Null {
			// A non-null field is null: so is the configuration (as gqlgen's _Configuration).
			return graphql.Null, nil
		}
		enc.parts[h.part] = v
	}
	return answer{enc.parts, scope}, nil
}

// spliced are the parts of an encoded value: encoded text, with the values of fields gqlgen
// executed in between (written by answer).
type spliced []graphql.Marshaler

// answer is a Configuration's value: its parts, and the request's buffers (respbuf), which the
// encoder's own text was written into.
type answer struct {
	parts spliced
	scope *respbuf.Scope
}

// MarshalGQL writes the parts in order. Into a bytes.Buffer (gqlgen's executor writes the
// response into one, fresh for each operation) it first makes room for all of them: written
// one by one, the buffer would double several times over a 27 KB answer. The room is a buffer
// borrowed from the request (respbuf), which the transport takes back once it has written the
// response, and what gqlgen had written so far is copied into it.
func (a answer) MarshalGQL(w io.Writer) {
	if b, ok := w.(*bytes.Buffer); ok {
		n := b.Len() + splicedSlack
		for _, p := range a.parts {
			if e, ok := p.(encodedJSON); ok {
				n += len(e)
			}
		}
		if b.Available() < n-b.Len() {
			*b = *bytes.NewBuffer(append(a.scope.Get(n), b.Bytes()...))
		}
	}
	for _, p := range a.parts {
		p.MarshalGQL(w)
	}
}

// splicedSlack is room for what is written around and between the encoded parts (the
// product's fields, the rest of the payload).
const splicedSlack = 1024

// encodedJSON is an encoded value.
type encodedJSON []byte

// MarshalGQL writes the value.
func (r encodedJSON) MarshalGQL(w io.Writer) { _, _ = w.Write(r) }

// planKey identifies the selection set of a Configuration field: the parsed document (gqlgen
// caches parsed documents, so the same query text gives the same one while it stays cached; the
// key keeps it alive, so its nodes' addresses are not reused) and the addresses of the
// selections collected for the field (a field merged from several places of the document has
// the selections of all of them).
type planKey struct {
	doc  *ast.QueryDocument
	sels string
}

func newPlanKey(doc *ast.QueryDocument, sel ast.SelectionSet) planKey {
	b := make([]byte, 0, 8*len(sel))
	for _, s := range sel {
		b = binary.LittleEndian.AppendUint64(b, uint64(reflect.ValueOf(s).Pointer()))
	}
	return planKey{doc: doc, sels: string(b)}
}

// cachedPlan is a compiled plan, or nil when the encoder leaves the field to gqlgen; varying
// plans depend on the variables (@skip/@include with a variable) and are compiled every time.
type cachedPlan struct {
	plan    *encodePlan
	varying bool
}

// viewPartKey identifies one encoded view-dependent field: the computed view, the field name
// and the canonical selection below it (aliases included).
type viewPartKey struct {
	view      any
	name, sel string
}

// encodePlan is the collected selection set of one object: its fields in response order.
type encodePlan struct {
	fields []encField
	// key is the canonical selection: every alias, field name and sub-selection, in order.
	key string
}

// encField is one collected field.
type encField struct {
	// key is the response key, encoded with its colon: "alias":
	key   []byte
	name  string
	sub   *encodePlan
	field graphql.CollectedField
	// sizeHint is the size of the field's last encoding (view parts: their buffer's size).
	sizeHint *atomic.Int64
}

// encodable are the object types the encoder writes, with the implementors gqlgen collects
// their fields with.
var encodable = map[string][]string{
	"Configuration":       configurationImplementors,
	"Selection":           selectionImplementors,
	"ConfigurationGroup":  configurationGroupImplementors,
	"CatalogGroup":        catalogGroupImplementors,
	"ConfigurationOption": configurationOptionImplementors,
	"CatalogOption":       catalogOptionImplementors,
	"Reason":              reasonImplementors,
	"Money":               moneyImplementors,
	"Price":               priceImplementors,
	"PriceLine":           priceLineImplementors,
	"TierInfo":            tierInfoImplementors,
	"LeadTime":            leadTimeImplementors,
	"Preview":             previewImplementors,
	"PreviewLayer":        previewLayerImplementors,
}

// plan returns the compiled selection of a Configuration field, or nil when the encoder must
// leave it to gqlgen.
func (e *ConfigurationEncoder) plan(oc *graphql.OperationContext, f graphql.CollectedField) *encodePlan {
	key := newPlanKey(oc.Doc, f.Selections)
	c, ok := e.plans.Get(key)
	if !ok {
		c = cachedPlan{varying: usesVariables(oc.Doc, f.Selections, map[string]bool{})}
		c.plan = compilePlan(oc, f.Selections, "Configuration", 0)
		e.plans.Add(key, c)
	}
	if c.varying {
		return compilePlan(oc, f.Selections, "Configuration", 0)
	}
	return c.plan
}

// maxPlanDepth bounds the compiled depth (the schema's Configuration tree is 5 levels deep).
const maxPlanDepth = 8

func compilePlan(oc *graphql.OperationContext, sel ast.SelectionSet, typ string, depth int) *encodePlan {
	impl, ok := encodable[typ]
	if !ok || depth > maxPlanDepth {
		return nil
	}
	fields := graphql.CollectFields(oc, sel, impl)
	p := &encodePlan{fields: make([]encField, 0, len(fields))}
	var key []byte
	for i, f := range fields {
		if len(f.Deferrables) > 0 || !onlySkipInclude(f.Directives) {
			return nil
		}
		pf := encField{name: f.Name, field: f, sizeHint: new(atomic.Int64)}
		pf.key = appendQuoted(nil, f.Alias)
		pf.key = append(pf.key, ':')
		if i > 0 {
			key = append(key, ',')
		}
		key = append(key, pf.key...)
		key = append(key, f.Name...)
		switch {
		case f.Name == "__typename":
		case f.Definition == nil || !knownField(typ, f.Name):
			return nil
		case typ == "Configuration" && f.Name == "product":
			// Executed by gqlgen: its selection is not compiled here.
		default:
			if child := f.Definition.Type.Name(); encodable[child] != nil {
				if pf.sub = compilePlan(oc, f.Selections, child, depth+1); pf.sub == nil {
					return nil
				}
				key = append(key, '{')
				key = append(key, pf.sub.key...)
				key = append(key, '}')
			}
		}
		p.fields = append(p.fields, pf)
	}
	p.key = string(key)
	return p
}

// knownFields are the fields the encoder writes, per type: a field added to the schema is left
// to gqlgen until it is added here and to the encoder.
var knownFields = map[string]string{
	"Configuration": " id version product catalogVersion quantity complete valid completions" +
		" selections groups price leadTime preview notices destination ",
	"Selection":          " group option text ",
	"ConfigurationGroup": " group none options ",
	"CatalogGroup": " id key name description kind required minSelect maxSelect maxLength" +
		" allowedCharacters numberMin numberMax numberStep unit previewRole options ",
	"ConfigurationOption": " option state reasons priceDelta ",
	"CatalogOption":       " id key name description priceDelta leadDays swatch previewAsset ",
	"Reason":              " message selections ",
	"Money":               " amount currency ",
	"Price": " unit quantity subtotal discount total lines tier tiers depositDue" +
		" balanceDue ",
	"PriceLine": " label amount ",
	"TierInfo":  " minQuantity discountBasisPoints ",
	"LeadTime": " minBusinessDays maxBusinessDays shipsEarliest shipsLatest destination" +
		" shippingZone transitMinDays transitMaxDays arrivesEarliest arrivesLatest shipping" +
		" closureNotice ",
	"Preview":      " svg layers ",
	"PreviewLayer": " group option asset tint z ",
}

func knownField(typ, name string) bool {
	return strings.Contains(knownFields[typ], " "+name+" ")
}

func onlySkipInclude(ds ast.DirectiveList) bool {
	for _, d := range ds {
		if d.Name != "skip" && d.Name != "include" {
			return false
		}
	}
	return true
}

// usesVariables reports whether a directive below sel (fragments included) takes a variable.
func usesVariables(doc *ast.QueryDocument, sel ast.SelectionSet, seen map[string]bool) bool {
	for _, s := range sel {
		var ds ast.DirectiveList
		var sub ast.SelectionSet
		switch s := s.(type) {
		case *ast.Field:
			ds, sub = s.Directives, s.SelectionSet
		case *ast.InlineFragment:
			ds, sub = s.Directives, s.SelectionSet
		case *ast.FragmentSpread:
			ds = s.Directives
			if !seen[s.Name] {
				seen[s.Name] = true
				if f := doc.Fragments.ForName(s.Name); f != nil {
					sub = f.SelectionSet
				}
			}
		}
		for _, d := range ds {
			for _, a := range d.Arguments {
				if a.Value != nil && a.Value.Kind == ast.Variable {
					return true
				}
			}
		}
		if usesVariables(doc, sub, seen) {
			return true
		}
	}
	return false
}

// hole is a field executed by gqlgen, to be spliced in at parts[part].
type hole struct {
	part  int
	field graphql.CollectedField
}

// encoder writes one Configuration. Every method returns false when the value cannot be
// written as gqlgen would (a nil in a non-null position): the caller then leaves the whole
// Configuration to gqlgen.
//
// The value is a list of parts (spliced): what the encoder wrote into buf, and between those
// the view parts taken from the cache as they are, not copied, and the holes.
type encoder struct {
	e   *ConfigurationEncoder
	buf []byte
	// from is where in buf the text not yet in parts begins.
	from  int
	parts spliced
	holes []hole
}

// flush ends the current text: buf[from:] becomes a part.
func (w *encoder) flush() {
	if len(w.buf) > w.from {
		w.parts = append(w.parts, encodedJSON(w.buf[w.from:len(w.buf):len(w.buf)]))
		w.from = len(w.buf)
	}
}

// splice adds an encoded value as a part of its own.
func (w *encoder) splice(v graphql.Marshaler) {
	w.flush()
	w.parts = append(w.parts, v)
}

func (w *encoder) str(s string) { w.buf = appendQuoted(w.buf, s) }

func (w *encoder) int(n int) { w.buf = strconv.AppendInt(w.buf, int64(n), 10) }

func (w *encoder) bool(b bool) { w.buf = strconv.AppendBool(w.buf, b) }

// enum writes an enum value as gqlgen's generated enums and ent's do (strconv.Quote).
func (w *encoder) enum(s string) { w.buf = strconv.AppendQuote(w.buf, s) }

func (w *encoder) null() { w.buf = append(w.buf, "null"...) }

func (w *encoder) optInt(n *int) {
	if n == nil {
		w.null()
		return
	}
	w.int(*n)
}

func (w *encoder) optStr(s *string) {
	if s == nil {
		w.null()
		return
	}
	w.str(*s)
}

// object writes the fields of p with each, which writes one field's value.
func (w *encoder) object(p *encodePlan, each func(f *encField) bool) bool {
	w.buf = append(w.buf, '{')
	for i := range p.fields {
		f := &p.fields[i]
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.buf = append(w.buf, f.key...)
		if !each(f) {
			return false
		}
	}
	w.buf = append(w.buf, '}')
	return true
}

// list writes n elements with each.
func (w *encoder) list(n int, each func(i int) bool) bool {
	w.buf = append(w.buf, '[')
	for i := range n {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		if !each(i) {
			return false
		}
	}
	w.buf = append(w.buf, ']')
	return true
}

func (w *encoder) configuration(p *encodePlan, m *model.Configuration) bool {
	return w.object(p, func(f *encField) bool {
		switch f.name {
		case "__typename":
			w.str("Configuration")
		case "id":
			w.str(m.ID)
		case "version":
			w.int(m.Version)
		case "destination":
			w.optStr(m.Destination)
		case "product":
			w.splice(nil)
			w.holes = append(w.holes, hole{part: len(w.parts) - 1, field: f.field})
		case "catalogVersion":
			w.int(m.CatalogVersion)
		case "quantity":
			w.int(m.Quantity)
		case "complete":
			w.bool(m.Complete)
		case "valid":
			w.bool(m.Valid)
		case "completions":
			w.str(m.Completions)
		case "selections":
			return w.selections(f.sub, m.Selections)
		case "notices":
			return m.Notices != nil && w.list(len(m.Notices), func(i int) bool {
				w.str(m.Notices[i])
				return true
			})
		case "groups":
			return w.viewPart(m.View, f, func() bool {
				return w.groups(f.sub, m.Groups)
			})
		case "price":
			return w.viewPart(shippedView(m), f, func() bool { return w.price(f.sub, m.Price) })
		case "leadTime":
			return w.viewPart(shippedView(m), f, func() bool { return w.leadTime(f.sub, m.LeadTime) })
		case "preview":
			return w.viewPart(m.View, f, func() bool { return w.preview(f.sub, m.Preview) })
		default:
			return false
		}
		return true
	})
}

// shippedView is the cache identity of m's price and leadTime: its view, and with a
// destination also what the destination adds to it.
func shippedView(m *model.Configuration) any {
	if m.View == nil || m.ShippingKey == nil {
		return m.View
	}
	return [2]any{m.View, m.ShippingKey}
}

// viewPart writes a view-dependent field: from the cache when view is set and it has been
// encoded for this view and selection before, else with encode.
//
// A part is cached the second time it is encoded, not the first: most views are met once (each
// step makes a new one), and a part cached on first sight was ~28 KB per step, copied once more
// into the answer and kept until evicted. The first time it is written straight into the answer.
// A view met again (a customer going back, a reload, customers in the same state) is encoded a
// second time, cached, and served from the cache from then on.
func (w *encoder) viewPart(view any, f *encField, encode func() bool) bool {
	if view == nil {
		return encode()
	}
	key := viewPartKey{view: view, name: f.name, sel: f.sub.key}
	if b, ok := w.e.views.Get(key); ok {
		w.e.hits.Add(1)
		w.splice(encodedJSON(b))
		return true
	}
	if !w.e.seen.again(key) {
		return encode()
	}
	// Encoded into a buffer of its own, the size of this field's last encoding, which the cache
	// keeps and the answer splices in.
	w.flush()
	outer, outerFrom := w.buf, w.from
	hint := int(f.sizeHint.Load())
	w.buf, w.from = make([]byte, 0, hint+hint/8+256), 0
	ok := encode()
	part := w.buf
	w.buf, w.from = outer, outerFrom
	if !ok {
		return false
	}
	f.sizeHint.Store(int64(len(part)))
	w.e.views.Add(key, part)
	w.splice(encodedJSON(part))
	return true
}

func (w *encoder) selections(p *encodePlan, ss []*model.Selection) bool {
	return ss != nil && w.list(len(ss), func(i int) bool {
		s := ss[i]
		return s != nil && w.object(p, func(f *encField) bool {
			switch f.name {
			case "__typename":
				w.str("Selection")
			case "group":
				w.str(s.Group)
			case "option":
				w.optStr(s.Option)
			case "text":
				w.optStr(s.Text)
			default:
				return false
			}
			return true
		})
	})
}

func (w *encoder) groups(p *encodePlan, gs []*model.ConfigurationGroup) bool {
	return gs != nil && w.list(len(gs), func(i int) bool {
		g := gs[i]
		return g != nil && w.object(p, func(f *encField) bool {
			switch f.name {
			case "__typename":
				w.str("ConfigurationGroup")
			case "group":
				return w.catalogGroup(f.sub, g.Group)
			case "none":
				if g.None == nil {
					w.null()
				} else {
					w.enum(g.None.String())
				}
			case "options":
				return g.Options != nil && w.list(len(g.Options), func(i int) bool {
					return w.configurationOption(f.sub, g.Options[i])
				})
			default:
				return false
			}
			return true
		})
	})
}

func (w *encoder) catalogGroup(p *encodePlan, g *model.CatalogGroup) bool {
	return g != nil && w.object(p, func(f *encField) bool {
		switch f.name {
		case "__typename":
			w.str("CatalogGroup")
		case "id":
			w.str(g.ID)
		case "key":
			w.str(g.Key)
		case "name":
			w.str(g.Name)
		case "description":
			w.str(g.Description)
		case "kind":
			w.enum(g.Kind.String())
		case "required":
			w.bool(g.Required)
		case "minSelect":
			w.int(g.MinSelect)
		case "maxSelect":
			w.int(g.MaxSelect)
		case "maxLength":
			w.int(g.MaxLength)
		case "allowedCharacters":
			w.str(g.AllowedCharacters)
		case "numberMin":
			w.int(g.NumberMin)
		case "numberMax":
			w.int(g.NumberMax)
		case "numberStep":
			w.int(g.NumberStep)
		case "unit":
			w.str(g.Unit)
		case "previewRole":
			w.str(g.PreviewRole)
		case "options":
			return g.Options != nil && w.list(len(g.Options), func(i int) bool {
				return w.catalogOption(f.sub, g.Options[i])
			})
		default:
			return false
		}
		return true
	})
}

func (w *encoder) catalogOption(p *encodePlan, o *model.CatalogOption) bool {
	return o != nil && w.object(p, func(f *encField) bool {
		switch f.name {
		case "__typename":
			w.str("CatalogOption")
		case "id":
			w.str(o.ID)
		case "key":
			w.str(o.Key)
		case "name":
			w.str(o.Name)
		case "description":
			w.str(o.Description)
		case "priceDelta":
			return w.money(f.sub, o.PriceDelta)
		case "leadDays":
			w.int(o.LeadDays)
		case "swatch":
			w.str(o.Swatch)
		case "previewAsset":
			w.str(o.PreviewAsset)
		default:
			return false
		}
		return true
	})
}

func (w *encoder) configurationOption(p *encodePlan, o *model.ConfigurationOption) bool {
	return o != nil && w.object(p, func(f *encField) bool {
		switch f.name {
		case "__typename":
			w.str("ConfigurationOption")
		case "option":
			return w.catalogOption(f.sub, o.Option)
		case "state":
			w.enum(o.State.String())
		case "reasons":
			return o.Reasons != nil && w.list(len(o.Reasons), func(i int) bool {
				r := o.Reasons[i]
				return r != nil && w.object(f.sub, func(f *encField) bool {
					switch f.name {
					case "__typename":
						w.str("Reason")
					case "message":
						w.str(r.Message)
					case "selections":
						return w.selections(f.sub, r.Selections)
					default:
						return false
					}
					return true
				})
			})
		case "priceDelta":
			return w.money(f.sub, o.PriceDelta)
		default:
			return false
		}
		return true
	})
}

func (w *encoder) money(p *encodePlan, m *model.Money) bool {
	return m != nil && w.object(p, func(f *encField) bool {
		switch f.name {
		case "__typename":
			w.str("Money")
		case "amount":
			w.int(m.Amount)
		case "currency":
			w.str(m.Currency)
		default:
			return false
		}
		return true
	})
}

func (w *encoder) price(p *encodePlan, pr *model.Price) bool {
	return pr != nil && w.object(p, func(f *encField) bool {
		switch f.name {
		case "__typename":
			w.str("Price")
		case "unit":
			return w.money(f.sub, pr.Unit)
		case "quantity":
			w.int(pr.Quantity)
		case "subtotal":
			return w.money(f.sub, pr.Subtotal)
		case "discount":
			return w.money(f.sub, pr.Discount)
		case "total":
			return w.money(f.sub, pr.Total)
		case "lines":
			return pr.Lines != nil && w.list(len(pr.Lines), func(i int) bool {
				l := pr.Lines[i]
				return l != nil && w.object(f.sub, func(f *encField) bool {
					switch f.name {
					case "__typename":
						w.str("PriceLine")
					case "label":
						w.str(l.Label)
					case "amount":
						return w.money(f.sub, l.Amount)
					default:
						return false
					}
					return true
				})
			})
		case "tier":
			if pr.Tier == nil {
				w.null()
			} else {
				w.int(*pr.Tier)
			}
		case "tiers":
			return pr.Tiers != nil && w.list(len(pr.Tiers), func(i int) bool {
				t := pr.Tiers[i]
				return t != nil && w.object(f.sub, func(f *encField) bool {
					switch f.name {
					case "__typename":
						w.str("TierInfo")
					case "minQuantity":
						w.int(t.MinQuantity)
					case "discountBasisPoints":
						w.int(t.DiscountBasisPoints)
					default:
						return false
					}
					return true
				})
			})
		case "depositDue":
			return w.money(f.sub, pr.DepositDue)
		case "balanceDue":
			return w.money(f.sub, pr.BalanceDue)
		default:
			return false
		}
		return true
	})
}

func (w *encoder) leadTime(p *encodePlan, l *model.LeadTime) bool {
	return l != nil && w.object(p, func(f *encField) bool {
		switch f.name {
		case "__typename":
			w.str("LeadTime")
		case "minBusinessDays":
			w.int(l.MinBusinessDays)
		case "maxBusinessDays":
			w.int(l.MaxBusinessDays)
		case "shipsEarliest":
			w.str(l.ShipsEarliest)
		case "shipsLatest":
			w.str(l.ShipsLatest)
		case "destination":
			w.optStr(l.Destination)
		case "shippingZone":
			w.optStr(l.ShippingZone)
		case "transitMinDays":
			w.optInt(l.TransitMinDays)
		case "transitMaxDays":
			w.optInt(l.TransitMaxDays)
		case "arrivesEarliest":
			w.optStr(l.ArrivesEarliest)
		case "arrivesLatest":
			w.optStr(l.ArrivesLatest)
		case "shipping":
			if l.Shipping == nil {
				w.null()
				return true
			}
			return w.money(f.sub, l.Shipping)
		case "closureNotice":
			w.optStr(l.ClosureNotice)
		default:
			return false
		}
		return true
	})
}

func (w *encoder) preview(p *encodePlan, pv *model.Preview) bool {
	return pv != nil && w.object(p, func(f *encField) bool {
		switch f.name {
		case "__typename":
			w.str("Preview")
		case "svg":
			w.str(pv.SVG)
		case "layers":
			return pv.Layers != nil && w.list(len(pv.Layers), func(i int) bool {
				l := pv.Layers[i]
				return l != nil && w.object(f.sub, func(f *encField) bool {
					switch f.name {
					case "__typename":
						w.str("PreviewLayer")
					case "group":
						w.str(l.Group)
					case "option":
						w.str(l.Option)
					case "asset":
						w.str(l.Asset)
					case "tint":
						w.str(l.Tint)
					case "z":
						w.int(l.Z)
					default:
						return false
					}
					return true
				})
			})
		default:
			return false
		}
		return true
	})
}

const hexDigits = "0123456789ABCDEF"

// appendQuoted appends s as a JSON string exactly as gqlgen's MarshalString writes it: only
// control characters, '\\' and '"' are escaped (no HTML escaping, invalid UTF-8 copied as is).
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '\t':
			b = append(b, `\t`...)
		case '\r':
			b = append(b, `\r`...)
		case '\n':
			b = append(b, `\n`...)
		case '\\':
			b = append(b, `\\`...)
		case '"':
			b = append(b, `\"`...)
		default:
			b = append(b, `\u00`...)
			b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// doorkeeper remembers which view parts have been encoded, by a hash of their key, so that only
// a part encoded before is cached. It keeps no view alive; it forgets everything when it has
// seen size keys. A view's address reused after it is gone may make a new part look seen: that
// part is cached on its first encoding, as every part once was.
type doorkeeper struct {
	mu   sync.Mutex
	seed maphash.Seed
	keys map[uint64]struct{}
	size int
}

func newDoorkeeper(size int) doorkeeper {
	return doorkeeper{seed: maphash.MakeSeed(), keys: make(map[uint64]struct{}), size: size}
}

// again reports whether key was seen before, and remembers it.
func (d *doorkeeper) again(key viewPartKey) bool {
	h := maphash.Comparable(d.seed, key)
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.keys[h]; ok {
		return true
	}
	if len(d.keys) >= d.size {
		clear(d.keys)
	}
	d.keys[h] = struct{}{}
	return false
}
