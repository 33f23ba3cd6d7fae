package graph_test

import (
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const productsQuery = `query {
  products(first: 10) {
    totalCount
    edges { node {
      id slug name basePrice { amount currency }
      optionGroups { id key name kind required options { id key name priceDelta { amount currency } } }
    } }
  }
}`

func TestProductsReturnsTheDemoCatalog(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var resp struct {
		Products struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID        string
					Slug      string
					Name      string
					BasePrice struct {
						Amount   int
						Currency string
					}
					OptionGroups []struct {
						ID       string
						Key      string
						Name     string
						Kind     string
						Required bool
						Options  []struct {
							ID         string
							Key        string
							Name       string
							PriceDelta struct {
								Amount   int
								Currency string
							}
						}
					}
				}
			}
		}
	}
	e.API.MustPost(productsQuery, &resp)
	require.Equal(t, 2, resp.Products.TotalCount)
	slugs := map[string]bool{}
	for _, edge := range resp.Products.Edges {
		p := edge.Node
		slugs[p.Slug] = true
		assert.Equal(t, "USD", p.BasePrice.Currency)
		assert.Positive(t, p.BasePrice.Amount)
		require.GreaterOrEqual(t, len(p.OptionGroups), 8, p.Slug)
		assert.Equal(t, "case_size", p.OptionGroups[0].Key, "groups come in page order")
		kinds := map[string]bool{}
		options := 0
		for _, g := range p.OptionGroups {
			kinds[g.Kind] = true
			options += len(g.Options)
			for _, o := range g.Options {
				assert.Equal(t, "USD", o.PriceDelta.Currency)
				assert.GreaterOrEqual(t, o.PriceDelta.Amount, 0)
			}
		}
		assert.GreaterOrEqual(t, options, 40)
		assert.Equal(t, map[string]bool{"SINGLE": true, "MULTI": true, "TEXT": true, "NUMBER": true}, kinds)
	}
	assert.Equal(t, map[string]bool{"heritage-sport": true, "atelier-dress": true}, slugs)
}

func TestProductBySlugAndNode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var resp struct {
		Product struct {
			ID        string
			Name      string
			BasePrice struct{ Amount int }
		}
	}
	e.API.MustPost(`query($slug: String!) { product(slug: $slug) { id name basePrice { amount } } }`,
		&resp, func(r *client.Request) { r.Variables = map[string]any{"slug": "heritage-sport"} })
	assert.Equal(t, "Heritage Sport", resp.Product.Name)
	assert.Equal(t, 12900, resp.Product.BasePrice.Amount)

	var node struct {
		Node struct {
			Typename string `json:"__typename"`
			Slug     string
		}
	}
	e.API.MustPost(`query($id: ID!) { node(id: $id) { __typename ... on Product { slug } } }`,
		&node, func(r *client.Request) { r.Variables = map[string]any{"id": resp.Product.ID} })
	assert.Equal(t, "Product", node.Node.Typename)
	assert.Equal(t, "heritage-sport", node.Node.Slug)
}

func TestUnknownProductIsNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var resp map[string]any
	err := e.API.Post(`{ product(slug: "no-such-strap") { id } }`, &resp)
	require.Error(t, err)
	var errs []gqlError
	require.NoError(t, json.Unmarshal([]byte(err.Error()), &errs))
	require.Len(t, errs, 1)
	assert.Equal(t, "NOT_FOUND", errs[0].Extensions["code"])
}

func TestDraftProductIsHidden(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := systemCtx()
	p, err := e.DB.Client.Product.Create().SetSlug("secret-prototype").SetName("Prototype").
		SetBasePrice(10000).SetBuildDaysMin(3).SetBuildDaysMax(5).Save(ctx)
	require.NoError(t, err)

	var list struct{ Products struct{ TotalCount int } }
	e.API.MustPost(`{ products { totalCount } }`, &list)
	assert.Equal(t, 2, list.Products.TotalCount)

	var resp map[string]any
	err = e.API.Post(`query($id: ID!) { node(id: $id) { id } }`, &resp,
		func(r *client.Request) { r.Variables = map[string]any{"id": p.ID} })
	require.Error(t, err, "%v", resp)
	assert.Contains(t, err.Error(), "NOT_FOUND")
}
