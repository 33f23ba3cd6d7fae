import { COUNTRIES } from '../../lib/countries';
import type { Form } from './CheckoutPage';

/**
 * CustomerFields are the contact and shipping-address fieldsets of a checkout (a strap's or a
 * bag's). Ids start with prefix; errors show at their field. The country is its own callback:
 * it also chooses where the order ships, so its price and arrival.
 */
export function CustomerFields({
  prefix,
  form,
  errors,
  onChange,
  onCountry,
}: {
  prefix: string;
  form: Form;
  errors: Partial<Record<keyof Form, string>>;
  onChange(next: Form): void;
  onCountry(code: string): void;
}) {
  const field = (key: keyof Form, label: string, opts: { type?: string; autoComplete?: string; optional?: boolean } = {}) => (
    <div className={`field field-${key}`}>
      <label htmlFor={`${prefix}-${key}`}>
        {label}
        {opts.optional ? <span className="optional"> · optional</span> : null}
      </label>
      <input
        id={`${prefix}-${key}`}
        name={key}
        type={opts.type ?? 'text'}
        autoComplete={opts.autoComplete}
        required={!opts.optional}
        value={form[key]}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errors[key] ? `${prefix}-${key}-err` : undefined}
        onChange={(e) => onChange({ ...form, [key]: e.target.value })}
      />
      {errors[key] ? (
        <p className="field-error" id={`${prefix}-${key}-err`}>
          {errors[key]}
        </p>
      ) : null}
    </div>
  );
  return (
    <>
      <fieldset>
        <legend>Contact</legend>
        {field('name', 'Full name', { autoComplete: 'name' })}
        {field('email', 'E-mail', { type: 'email', autoComplete: 'email' })}
      </fieldset>
      <fieldset>
        <legend>Shipping address</legend>
        {field('line1', 'Street and number', { autoComplete: 'address-line1' })}
        {field('line2', 'Apartment, floor', { autoComplete: 'address-line2', optional: true })}
        <div className="field-row">
          {field('postalCode', 'Postal code', { autoComplete: 'postal-code' })}
          {field('city', 'City', { autoComplete: 'address-level2' })}
        </div>
        <div className="field-row">
          {field('region', 'State or region', { autoComplete: 'address-level1', optional: true })}
          <div className="field">
            <label htmlFor={`${prefix}-country`}>Country</label>
            <select id={`${prefix}-country`} autoComplete="country" value={form.country} onChange={(e) => onCountry(e.target.value)}>
              {COUNTRIES.map(([code, n]) => (
                <option key={code} value={code}>
                  {n}
                </option>
              ))}
            </select>
          </div>
        </div>
      </fieldset>
    </>
  );
}
