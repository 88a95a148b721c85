import type { ReactNode } from 'react'

/**
 * A banner at the top of the page (govuk-notification-banner). The normal one is a landmark
 * (role="region") labelled by its title, "Important" by default; the success one, titled
 * "Success" by default, is announced at once (role="alert"). Text passed as a plain string
 * is shown as the banner's heading line.
 */
export function NotificationBanner({
  title,
  children,
  success = false,
  titleId = 'govuk-notification-banner-title',
}: {
  title?: ReactNode
  children: ReactNode
  success?: boolean
  titleId?: string
}) {
  const classes = success ? 'govuk-notification-banner govuk-notification-banner--success' : 'govuk-notification-banner'
  return (
    <div
      className={classes}
      role={success ? 'alert' : 'region'}
      aria-labelledby={titleId}
      data-module="govuk-notification-banner"
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id={titleId}>
          {title ?? (success ? 'Success' : 'Important')}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        {typeof children === 'string' ? <p className="govuk-notification-banner__heading">{children}</p> : children}
      </div>
    </div>
  )
}
