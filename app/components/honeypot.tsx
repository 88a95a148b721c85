// A field people never see: bots that fill in every box fill this one too, and are refused.
export const HONEYPOT_FIELD = 'website'

export function Honeypot() {
  return (
    <div className="govuk-visually-hidden" aria-hidden="true">
      <label htmlFor={HONEYPOT_FIELD}>Leave this empty</label>
      <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  )
}
