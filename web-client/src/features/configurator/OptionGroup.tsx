import { useEffect, useId, useRef, useState } from 'react';
import { graphql, useFragment, type FragmentType } from '../../gql';
import { describeReasons, type NameBook } from '../../lib/conflict';
import { formatDelta } from '../../lib/money';
import { describeAllowed, optionAction, stateLabel, validateMonogram } from '../../lib/options';
import type { Edit } from './edits';

export const OptionGroupFragment = graphql(`
  fragment OptionGroup_ConfigurationGroup on ConfigurationGroup {
    group {
      id
      key
      name
      description
      kind
      required
      minSelect
      maxSelect
      maxLength
      allowedCharacters
      numberMin
      numberMax
      numberStep
      unit
      previewRole
    }
    none
    options {
      option {
        id
        key
        name
        description
        leadDays
        swatch
        previewAsset
      }
      state
      reasons {
        message
        selections {
          group
          option
          text
        }
      }
      priceDelta {
        amount
        currency
      }
    }
  }
`);

interface Props {
  group: FragmentType<typeof OptionGroupFragment>;
  /** The current choices of this group. */
  selections: { option?: string | null; text?: string | null }[];
  names: NameBook;
  busy: boolean;
  onEdit(edit: Edit): void;
}

/** OptionGroup is one step of the configurator: swatches, a monogram field or a size picker. */
export function OptionGroup(props: Props) {
  const g = useFragment(OptionGroupFragment, props.group);
  const headingId = useId();
  const chosen = props.selections.find((s) => s.option || s.text);
  // The only remaining choice counts as made: the page selects it (see ConfiguratorPage).
  const forced = g.options.filter((o) => o.state === 'FORCED');
  const onlyChoice = !chosen && g.group.required && forced.length === 1 ? forced[0].option.name : null;
  const chosenName =
    onlyChoice ??
    (g.group.kind === 'TEXT'
      ? chosen?.text
      : g.group.kind === 'NUMBER'
        ? chosen?.option
          ? `${chosen.option} ${g.group.unit}`
          : null
        : props.selections
            .map((s) => g.options.find((o) => o.option.key === s.option)?.option.name)
            .filter(Boolean)
            .join(', '));
  return (
    <section
      className={`group group-${g.group.kind.toLowerCase()}`}
      aria-labelledby={headingId}
      data-group={g.group.key}
    >
      <header className="group-head">
        <h3 id={headingId}>
          {g.group.name}
          {!g.group.required ? <span className="optional"> · optional</span> : null}
        </h3>
        <p className="group-chosen" aria-live="polite">
          {chosenName ? chosenName : g.group.required ? <span className="todo">To choose</span> : null}
        </p>
      </header>
      <p className="group-desc">{g.group.description}</p>
      {g.group.kind === 'TEXT' ? (
        <MonogramField
          groupKey={g.group.key}
          label={g.group.name}
          maxLength={g.group.maxLength}
          allowed={g.group.allowedCharacters}
          text={chosen?.text ?? ''}
          state={g.options[0]?.state}
          reasons={g.options[0] ? describeReasons(g.options[0].reasons, props.names) : ''}
          priceNote={g.options[0] && g.options[0].priceDelta.amount ? formatDelta(g.options[0].priceDelta) : ''}
          onEdit={props.onEdit}
        />
      ) : g.group.kind === 'NUMBER' ? (
        <NumberField
          groupKey={g.group.key}
          label={g.group.name}
          unit={g.group.unit}
          value={chosen?.option ?? ''}
          options={g.options.map((o) => ({ key: o.option.key, state: o.state }))}
          busy={props.busy}
          onEdit={props.onEdit}
        />
      ) : (
        <ul className={`options ${g.options.some((o) => o.option.swatch) ? 'options-swatches' : 'options-cards'}`}>
          {g.options.map((o) => {
            const action = optionAction(o.state, g.group.kind, g.group.required);
            const badge = stateLabel(o.state);
            const reasonId = `${g.group.key}--${o.option.key}--why`;
            const excluded = o.state === 'EXCLUDED';
            const pressed = o.state === 'SELECTED';
            const onClick = () => {
              if (props.busy || action === 'none') return;
              if (action === 'clear')
                props.onEdit({
                  kind: 'clear',
                  group: g.group.key,
                  option: g.group.kind === 'MULTI' ? o.option.key : undefined,
                  label: `${g.group.name}: ${o.option.name}`,
                });
              else props.onEdit({ kind: 'select', group: g.group.key, option: o.option.key, label: `${g.group.name}: ${o.option.name}` });
            };
            return (
              <li key={o.option.key} className="option-cell">
                <button
                  type="button"
                  className={`option state-${o.state.toLowerCase()}`}
                  aria-pressed={pressed || o.state === 'FORCED'}
                  aria-disabled={props.busy || undefined}
                  aria-describedby={excluded ? reasonId : undefined}
                  data-option={o.option.key}
                  data-state={o.state}
                  onClick={onClick}
                >
                  {o.option.swatch ? (
                    <span className="swatch" style={{ background: o.option.swatch }} aria-hidden="true" />
                  ) : null}
                  <span className="option-text">
                    <span className="option-name">{o.option.name}</span>
                    <span className="option-meta">
                      <span className="option-price">{formatDelta(o.priceDelta)}</span>
                      {o.option.leadDays > 0 ? (
                        <span className="option-days">
                          +{o.option.leadDays} day{o.option.leadDays === 1 ? '' : 's'}
                        </span>
                      ) : null}
                    </span>
                    {badge && o.state !== 'SELECTED' ? <span className={`badge badge-${o.state.toLowerCase()}`}>{badge}</span> : null}
                  </span>
                  {pressed ? (
                    <span className="check" aria-hidden="true">
                      ✓
                    </span>
                  ) : null}
                </button>
                {excluded ? (
                  <span role="tooltip" id={reasonId} className="tooltip">
                    {describeReasons(o.reasons, props.names)} Choose it to see what would change.
                  </span>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function MonogramField(props: {
  groupKey: string;
  label: string;
  maxLength: number;
  allowed: string;
  text: string;
  state?: string;
  reasons: string;
  priceNote: string;
  onEdit(edit: Edit): void;
}) {
  const id = useId();
  const [value, setValue] = useState(props.text);
  const [focused, setFocused] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Follow changes made elsewhere (another tab, a conflict fix) unless the customer is typing:
  // adjusted during render when the text or the focus changes, not in an effect.
  const [synced, setSynced] = useState({ text: props.text, focused });
  if (synced.text !== props.text || synced.focused !== focused) {
    setSynced({ text: props.text, focused });
    if (!focused) setValue(props.text);
  }
  useEffect(() => () => clearTimeout(timer.current), []);
  const error = validateMonogram(value, props.maxLength, props.allowed);
  const send = (text: string) => {
    clearTimeout(timer.current);
    if (validateMonogram(text, props.maxLength, props.allowed) || text === props.text) return;
    props.onEdit({ kind: 'text', group: props.groupKey, text, label: `${props.label}: “${text}”` });
  };
  return (
    <div className="monogram">
      <label htmlFor={id}>Initials</label>
      <div className="monogram-row">
        <input
          id={id}
          className="monogram-input"
          type="text"
          inputMode="text"
          autoComplete="off"
          spellCheck={false}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-help ${id}-err`}
          onFocus={() => setFocused(true)}
          onBlur={() => {
            setFocused(false);
            send(value);
          }}
          onChange={(e) => {
            const next = e.target.value.toUpperCase();
            setValue(next);
            clearTimeout(timer.current);
            timer.current = setTimeout(() => send(next), 700);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') send(value);
          }}
        />
        <span className="monogram-count" aria-hidden="true">
          {Array.from(value).length}/{props.maxLength}
        </span>
      </div>
      <p id={`${id}-help`} className="help">
        Up to {props.maxLength} characters: {describeAllowed(props.allowed)}.{props.priceNote ? ` ${props.priceNote}.` : ''}
        {props.state === 'EXCLUDED' ? ` Not available now: ${props.reasons}` : ''}
      </p>
      <p id={`${id}-err`} className="field-error" aria-live="polite">
        {error ?? ''}
      </p>
    </div>
  );
}

function NumberField(props: {
  groupKey: string;
  label: string;
  unit: string;
  value: string;
  options: { key: string; state: string }[];
  busy: boolean;
  onEdit(edit: Edit): void;
}) {
  const id = useId();
  return (
    <div className="number-field">
      <label htmlFor={id}>
        {props.label} ({props.unit})
      </label>
      <select
        id={id}
        value={props.value}
        aria-disabled={props.busy || undefined}
        onChange={(e) => {
          const v = e.target.value;
          if (!v) props.onEdit({ kind: 'clear', group: props.groupKey, label: props.label });
          else props.onEdit({ kind: 'number', group: props.groupKey, value: Number(v), label: `${props.label}: ${v} ${props.unit}` });
        }}
      >
        <option value="">Select your wrist size</option>
        {props.options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.key} {props.unit}
            {o.state === 'EXCLUDED' ? ' — needs a change' : o.state === 'FORCED' ? ' — only size left' : ''}
          </option>
        ))}
      </select>
      <p className="help">Measure just below the wrist bone; we add the ease for a comfortable fit.</p>
    </div>
  );
}
