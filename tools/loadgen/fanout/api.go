package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/atelier/atelier/tools/internal/atelier"
)

// api runs the benchmark's GraphQL operations on one server.
type api struct{ *atelier.Client }

const configFields = `fragment C on Configuration {
  id version complete
  selections { group option }
  groups { group { key kind required } options { option { key } state } }
}`

type configuration struct {
	ID         string `json:"id"`
	Version    int    `json:"version"`
	Complete   bool   `json:"complete"`
	Selections []struct {
		Group string `json:"group"`
	} `json:"selections"`
	Groups []struct {
		Group struct {
			Key      string `json:"key"`
			Kind     string `json:"kind"`
			Required bool   `json:"required"`
		} `json:"group"`
		Options []struct {
			Option struct {
				Key string `json:"key"`
			} `json:"option"`
			State string `json:"state"`
		} `json:"options"`
	} `json:"groups"`
}

type numberGroup struct {
	Key       string `json:"key"`
	Kind      string `json:"kind"`
	NumberMin int    `json:"numberMin"`
	NumberMax int    `json:"numberMax"`
	Step      int    `json:"numberStep"`
}

// placedOrder is an order placed for the benchmark.
type placedOrder struct {
	ID         string
	Token      string
	DepositDue int
}

// placeOrder configures product slug until complete (the first FORCED or AVAILABLE option of
// each required group, the middle value of a NUMBER group, no TEXT) and orders it.
func (a *api) placeOrder(ctx context.Context, slug string) (*placedOrder, error) {
	var prod struct {
		Product *struct {
			ID           string        `json:"id"`
			OptionGroups []numberGroup `json:"optionGroups"`
		} `json:"product"`
	}
	if err := a.Post(ctx, "", `query($s: String!) { product(slug: $s) { id
		optionGroups { key kind numberMin numberMax numberStep } } }`,
		map[string]any{"s": slug}, &prod); err != nil {
		return nil, fmt.Errorf("reading product %s: %w", slug, err)
	}
	if prod.Product == nil {
		return nil, fmt.Errorf("no product %q", slug)
	}
	numbers := map[string]numberGroup{}
	for _, g := range prod.Product.OptionGroups {
		numbers[g.Key] = g
	}
	var start struct {
		P struct {
			Configuration configuration `json:"configuration"`
		} `json:"startConfiguration"`
	}
	if err := a.Post(ctx, "", `mutation($in: StartConfigurationInput!) {
		startConfiguration(input: $in) { configuration { ...C } } }`+"\n"+configFields,
		map[string]any{"in": map[string]any{"productId": prod.Product.ID, "quantity": 1}}, &start); err != nil {
		return nil, fmt.Errorf("startConfiguration: %w", err)
	}
	cfg := start.P.Configuration
	for step := 0; !cfg.Complete; step++ {
		if step > 40 {
			return nil, errors.New("the configuration did not complete after 40 choices")
		}
		chosen := map[string]bool{}
		for _, s := range cfg.Selections {
			chosen[s.Group] = true
		}
		op, in := "", map[string]any{"configurationId": cfg.ID, "version": cfg.Version}
		for _, g := range cfg.Groups {
			if !g.Group.Required || chosen[g.Group.Key] || g.Group.Kind == "TEXT" {
				continue
			}
			pick := ""
			for _, want := range []string{"FORCED", "AVAILABLE"} {
				for _, o := range g.Options {
					if pick == "" && o.State == want {
						pick = o.Option.Key
					}
				}
			}
			in["group"] = g.Group.Key
			if g.Group.Kind == "NUMBER" {
				n := numbers[g.Group.Key]
				v := n.NumberMin + (n.NumberMax-n.NumberMin)/max(n.Step, 1)/2*max(n.Step, 1)
				if pick != "" {
					if pv, err := strconv.Atoi(pick); err == nil {
						v = pv
					}
				}
				op, in["value"] = "setNumber", v
			} else if pick != "" {
				op, in["option"] = "selectOption", pick
			} else {
				continue
			}
			break
		}
		if op == "" {
			return nil, errors.New("the configuration is incomplete but no required group can be chosen")
		}
		input := "SelectOptionInput"
		if op == "setNumber" {
			input = "SetNumberInput"
		}
		var res map[string]struct {
			Configuration configuration `json:"configuration"`
		}
		if err := a.Post(ctx, "", fmt.Sprintf("mutation($in: %s!) { %s(input: $in) { configuration { ...C } } }\n%s",
			input, op, configFields), map[string]any{"in": in}, &res); err != nil {
			return nil, fmt.Errorf("%s %v: %w", op, in, err)
		}
		cfg = res[op].Configuration
	}
	var placed struct {
		P struct {
			Order struct {
				ID         string `json:"id"`
				DepositDue struct {
					Amount int `json:"amount"`
				} `json:"depositDue"`
			} `json:"order"`
			OrderToken string `json:"orderToken"`
		} `json:"placeOrder"`
	}
	err := a.Post(ctx, "", `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) {
		order { id depositDue { amount } } orderToken } }`, map[string]any{"in": map[string]any{
		"configurationId": cfg.ID, "version": cfg.Version,
		"idempotencyKey": fmt.Sprintf("fanout-%d", time.Now().UnixNano()),
		"customer":       map[string]any{"name": "Fan Out", "email": "fanout@example.com"},
		"shippingAddress": map[string]any{"name": "Fan Out", "line1": "1 rue de la Paix",
			"city": "Paris", "postalCode": "75002", "country": "FR"},
	}}, &placed)
	if err != nil {
		return nil, fmt.Errorf("placeOrder: %w", err)
	}
	return &placedOrder{ID: placed.P.Order.ID, Token: placed.P.OrderToken,
		DepositDue: placed.P.Order.DepositDue.Amount}, nil
}

// buildSteps returns the k workshop steps after PLACED: the deposit payment (→ CONFIRMED), then
// MATERIALS, CRAFTING, FINISHING, QUALITY_CHECK, and rework loops (CRAFTING, FINISHING,
// QUALITY_CHECK) for as long as needed. Each step appends exactly one event.
func buildSteps(k int) []string {
	steps := []string{"PAY", "MATERIALS", "CRAFTING", "FINISHING", "QUALITY_CHECK"}
	for len(steps) < k {
		steps = append(steps, "CRAFTING", "FINISHING", "QUALITY_CHECK")
	}
	return steps[:k]
}

// step runs one workshop step on the order.
func (a *api) step(ctx context.Context, token string, o *placedOrder, to string) error {
	if to == "PAY" {
		return a.Post(ctx, token, `mutation($in: RecordPaymentInput!) { recordPayment(input: $in) {
			order { id status } } }`, map[string]any{"in": map[string]any{
			"orderId": o.ID, "amount": o.DepositDue, "reference": "fanout"}}, nil)
	}
	return a.Post(ctx, token, `mutation($in: AdvanceOrderInput!) { advanceOrder(input: $in) {
		event { seq } } }`, map[string]any{"in": map[string]any{
		"orderId": o.ID, "to": to, "note": "fan-out benchmark"}}, nil)
}
