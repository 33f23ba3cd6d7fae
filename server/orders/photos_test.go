package orders_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/orderevent"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/blob"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/orders"
	"github.com/atelier/atelier/server/photo"
	"github.com/atelier/atelier/server/photo/phototest"
	"github.com/atelier/atelier/server/quote"
	"github.com/atelier/atelier/server/seed"
	"github.com/atelier/atelier/server/testutil"
)

func TestUnpostedPhotosAreSweptAfterADay(t *testing.T) {
	d := testutil.OpenDB(t)
	sys := auth.System(context.Background())
	_, err := seed.Run(sys, d.Client, time.Now())
	require.NoError(t, err)
	pid := d.Client.Product.Query().Where(product.Slug("heritage-sport")).OnlyIDX(sys)
	o := d.Client.Order.Create().SetProductID(pid).SetNumber("AT-TEST-0001").
		SetIdempotencyKey("sweep-key-0001").SetTokenHash([]byte("sweep")).
		SetCatalogVersion(1).SetQuantity(1).SetCurrency("USD").SetTotal(12900).
		SetDepositDue(3870).SetBalanceDue(9030).SetCustomerName("Ada").
		SetCustomerEmail("ada@example.com").SetSnapshot(&catalog.OrderSnapshot{}).
		SetShipsEarliest(time.Now()).SetShipsLatest(time.Now()).SetLastSeq(1).
		SetStatus(order.StatusPlaced).SaveX(sys)
	ev := d.Client.OrderEvent.Create().SetOrderID(o.ID).SetSeq(1).SetStatus(orderevent.StatusPlaced).SaveX(sys)

	store, err := blob.NewDir(t.TempDir())
	require.NoError(t, err)
	now := time.Now()
	svc := orders.NewService(d.Client, nil, nil, quote.Calendar{}, func() time.Time { return now },
		orders.WithPhotos(&orders.Photos{Store: store, Limits: photo.DefaultLimits,
			Signer: photo.Signer{Key: []byte("k"), TTL: time.Hour, Base: "/photos/"}}))
	ctx := auth.NewContext(context.Background(), &auth.Viewer{Name: "Wes", Role: stafftoken.RoleWorkshop})
	pic := phototest.JPEG(t, phototest.Gradient(40, 30))

	forgotten, err := svc.UploadPhoto(ctx, o.ID, pic, "a.jpg", "Wes")
	require.NoError(t, err)
	posted, err := svc.UploadPhoto(ctx, o.ID, pic, "b.jpg", "Wes")
	require.NoError(t, err)
	// AttachPhotos is what an event's transaction calls (PostUpdate, Advance, a proof).
	require.NoError(t, orders.AttachPhotos(ctx, d.Client, o.ID, ev.ID, []int{posted.ID}))
	err = orders.AttachPhotos(ctx, d.Client, o.ID, ev.ID, []int{posted.ID})
	require.ErrorContains(t, err, "is not an unposted photo of this order", "posted once")

	now = now.Add(orders.UnpostedLifetime + time.Minute)
	_, err = svc.UploadPhoto(ctx, o.ID, pic, "c.jpg", "Wes")
	require.NoError(t, err)
	left := d.Client.Photo.Query().IDsX(sys)
	assert.NotContains(t, left, forgotten.ID, "the forgotten photo is gone")
	_, err = store.Get(context.Background(), orders.PhotoKey(forgotten, photo.Thumb))
	assert.ErrorIs(t, err, blob.ErrNotFound, "and its files")
	assert.Len(t, left, 2, "the posted photo and the new one stay")
}
