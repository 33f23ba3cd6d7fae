package studio

import (
	"context"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/server/shipping"
)

// CreateZone adds a shipping zone in one designer write (its audit record commits with it).
func CreateZone(ctx context.Context, client *ent.Client, in ent.CreateShippingZoneInput) (*ent.ShippingZone, error) {
	return zoneWrite(ctx, client, func(tx *ent.Client) (*ent.ShippingZone, error) {
		return tx.ShippingZone.Create().SetInput(in).Save(ctx)
	})
}

// UpdateZone changes shipping zone id in one designer write.
func UpdateZone(ctx context.Context, client *ent.Client, id int, in ent.UpdateShippingZoneInput) (*ent.ShippingZone, error) {
	return zoneWrite(ctx, client, func(tx *ent.Client) (*ent.ShippingZone, error) {
		return tx.ShippingZone.UpdateOneID(id).SetInput(in).Save(ctx)
	})
}

// DeleteZone deletes shipping zone id in one designer write.
func DeleteZone(ctx context.Context, client *ent.Client, id int) error {
	return EditExec(ctx, client, func(tx *ent.Client) error {
		if err := shipping.LockZones(ctx, tx); err != nil {
			return err
		}
		return tx.ShippingZone.DeleteOneID(id).Exec(ctx)
	})
}

// zoneWrite runs write with the zone writes serialised (shipping.LockZones: two designers cannot
// both pass the checks), then checks the rules across zones (a country in one zone at most, one
// rest-of-world zone) before the write commits.
func zoneWrite(ctx context.Context, client *ent.Client, write func(tx *ent.Client) (*ent.ShippingZone, error)) (*ent.ShippingZone, error) {
	return Edit(ctx, client, func(tx *ent.Client) (*ent.ShippingZone, error) {
		if err := shipping.LockZones(ctx, tx); err != nil {
			return nil, err
		}
		z, err := write(tx)
		if err != nil {
			return nil, err
		}
		return z, shipping.CheckAll(ctx, tx)
	})
}
