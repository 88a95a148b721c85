// The hidden field bots fill in; the domain refuses a post that has it (see domain/honeypot.ts).
import { HONEYPOT_FIELD } from '~/domain/honeypot'

export { HONEYPOT_FIELD }

export function Honeypot() {
  return (
    <div className="govuk-visually-hidden" aria-hidden="true">
      <label htmlFor={HONEYPOT_FIELD}>Leave this empty</label>
      <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  )
}
