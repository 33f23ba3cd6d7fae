import { useState, type FormEvent, type ReactNode } from 'react';
import { Notice } from '../../components/Notice';
import { messageFor, type ApiError } from '../../lib/errors';
import { minorUnitDigits } from '../../lib/money';
import { formatAmountInput } from '../../lib/workshop';

/** FieldSpec describes one field of a studio form. */
export interface FieldSpec {
  /** The API input field, e.g. basePrice. */
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'int' | 'money' | 'bool' | 'select' | 'color' | 'datetime';
  options?: [string, string][];
  help?: string;
  required?: boolean;
  /** Optional number fields send null when left empty (e.g. no edition limit). */
  nullable?: boolean;
}

/** FormValues are the raw strings/booleans a form holds. */
export type FormValues = Record<string, string | boolean>;

/** parseMinor reads a signed amount in major units into minor units, exactly; null if invalid. */
export function parseMinor(text: string, currency: string): number | null {
  const t = text.trim().replace(/[\s,]/g, '');
  const m = /^([-−]?)(\d+)(?:\.(\d*))?$/.exec(t);
  if (!m) return null;
  const digits = minorUnitDigits(currency);
  const frac = m[3] ?? '';
  if (frac.length > digits) return null;
  const n = Number(m[2] + frac.padEnd(digits, '0'));
  if (!Number.isSafeInteger(n)) return null;
  return m[1] ? -n : n;
}

/** toFormValue renders an API value for a field. */
export function toFormValue(spec: FieldSpec, v: unknown, currency: string): string | boolean {
  if (spec.kind === 'bool') return Boolean(v);
  if (v === null || v === undefined) return '';
  if (spec.kind === 'money') {
    const n = typeof v === 'object' ? (v as { amount: number }).amount : Number(v);
    return (n < 0 ? '-' : '') + formatAmountInput(Math.abs(n), currency);
  }
  if (spec.kind === 'datetime') return String(v).slice(0, 16);
  return String(v);
}

/** sameField: the API names fields in snake_case (ent) or camelCase (ours). */
export function sameField(a: string, b: string): boolean {
  const n = (s: string) => s.replace(/_/g, '').toLowerCase();
  return n(a) === n(b);
}

/**
 * RecordForm edits one record: it turns typed values into an input object (only the changed
 * fields when editing), sends it, and shows the API's field errors at their field.
 */
export function RecordForm(props: {
  id: string;
  specs: FieldSpec[];
  initial: FormValues;
  currency: string;
  submitLabel: string;
  /** Send every field (create) rather than only the changed ones (update). */
  sendAll?: boolean;
  save(input: Record<string, unknown>): Promise<ApiError | null>;
  onCancel?(): void;
  /** extra renders below the fields from the values being typed (e.g. a live preview). */
  extra?(values: FormValues): ReactNode;
}) {
  const { id, specs, initial, currency } = props;
  const [values, setValues] = useState<FormValues>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const input: Record<string, unknown> = {};
    const local: Record<string, string> = {};
    for (const s of specs) {
      const v = values[s.name];
      if (!props.sendAll && v === initial[s.name]) continue;
      if (s.kind === 'bool') input[s.name] = Boolean(v);
      else if (s.kind === 'int') {
        const t = String(v).trim();
        if (!t && s.nullable) input[s.name] = null;
        else if (!/^-?\d+$/.test(t)) local[s.name] = 'Type a whole number.';
        else input[s.name] = Number(t);
      } else if (s.kind === 'money') {
        const n = parseMinor(String(v), currency);
        if (n === null) local[s.name] = `Type an amount in ${currency}, e.g. 12.50.`;
        else input[s.name] = n;
      } else if (s.kind === 'datetime') {
        const t = String(v);
        input[s.name] = t ? new Date(t).toISOString() : null;
      } else {
        if (s.required && !String(v).trim()) local[s.name] = 'Required.';
        input[s.name] = String(v);
      }
    }
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    const err = await props.save(input);
    setBusy(false);
    if (!err) {
      setGeneral(null);
      return;
    }
    const text = err.code === 'BAD_USER_INPUT' && err.serverMessage ? err.serverMessage : messageFor(err, 'designer');
    const spec = err.field ? specs.find((s) => sameField(s.name, err.field!)) : undefined;
    if (spec) {
      setErrors({ [spec.name]: text });
      setGeneral(null);
    } else setGeneral(text);
  };

  return (
    <form className="record-form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="record-fields">
        {specs.map((s) => {
          const fid = `${id}-${s.name}`;
          const err = errors[s.name];
          const describedBy = [s.help ? `${fid}-help` : '', err ? `${fid}-err` : ''].filter(Boolean).join(' ') || undefined;
          const common = {
            id: fid,
            'aria-invalid': err ? true : undefined,
            'aria-describedby': describedBy,
          };
          const v = values[s.name];
          const set = (nv: string | boolean) => setValues((cur) => ({ ...cur, [s.name]: nv }));
          return (
            <div key={s.name} className={`field field-${s.kind}`}>
              {s.kind === 'bool' ? (
                <label className="check-label" htmlFor={fid}>
                  <input type="checkbox" {...common} checked={Boolean(v)} onChange={(e) => set(e.target.checked)} /> {s.label}
                </label>
              ) : (
                <label htmlFor={fid}>
                  {s.label}
                  {s.kind === 'money' ? ` (${currency})` : ''}
                </label>
              )}
              {s.kind === 'textarea' ? (
                <textarea {...common} rows={2} value={String(v)} onChange={(e) => set(e.target.value)} spellCheck={false} />
              ) : s.kind === 'select' ? (
                <select {...common} value={String(v)} onChange={(e) => set(e.target.value)}>
                  {(s.options ?? []).map(([val, label]) => (
                    <option key={val} value={val}>
                      {label}
                    </option>
                  ))}
                </select>
              ) : s.kind === 'bool' ? null : (
                <input
                  {...common}
                  type={s.kind === 'datetime' ? 'datetime-local' : 'text'}
                  inputMode={s.kind === 'int' ? 'numeric' : s.kind === 'money' ? 'decimal' : undefined}
                  value={String(v)}
                  onChange={(e) => set(e.target.value)}
                />
              )}
              {s.help ? (
                <p id={`${fid}-help`} className="help">
                  {s.help}
                </p>
              ) : null}
              {err ? (
                <p id={`${fid}-err`} className="field-error" data-testid={`${fid}-error`}>
                  {err}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
      {props.extra?.(values)}
      {general ? <Notice tone="error">{general}</Notice> : null}
      <div className="dialog-actions start">
        <button type="submit" className="btn btn-primary" aria-disabled={busy || undefined}>
          {props.submitLabel}
        </button>
        {props.onCancel ? (
          <button type="button" className="btn" onClick={props.onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** initialValues reads a record into form values. */
export function initialValues(specs: FieldSpec[], record: Record<string, unknown> | null, currency: string, defaults: FormValues = {}): FormValues {
  const out: FormValues = {};
  for (const s of specs) {
    out[s.name] = record ? toFormValue(s, record[s.name], currency) : (defaults[s.name] ?? (s.kind === 'bool' ? false : ''));
  }
  return out;
}
