import { WarningText } from './warning-text'

/** Recovery codes, shown once: each works once instead of a code from the app. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <>
      <h2 className="govuk-heading-m" id="recovery-codes">
        Your recovery codes
      </h2>
      <p className="govuk-body">
        If you lose your phone or cannot use your authenticator app, you can sign in with one of these codes instead of
        a code from the app. Each code works once.
      </p>
      <WarningText>
        This is the only time you will see these codes. Print them or write them down now, and keep them somewhere safe
        away from your computer.
      </WarningText>
      <ul className="govuk-list govuk-!-font-size-24" aria-labelledby="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code className="recovery-code">{code}</code>
          </li>
        ))}
      </ul>
    </>
  )
}
