import type { ReactNode } from 'react'

export type NavigationItem = { href: string; text: string; active?: boolean }
export type FooterLink = { href: string; text: string }

/** The first link on every page, shown when tabbed to, jumping past the header. */
export function SkipLink({
  href = '#main-content',
  children = 'Skip to main content',
}: {
  href?: string
  children?: ReactNode
}) {
  return (
    <a href={href} className="govuk-skip-link" data-module="govuk-skip-link">
      {children}
    </a>
  )
}

/**
 * The page header in govuk-header markup, but for a council service: no crown and no GOV.UK
 * logotype, only the service name as the main link. Navigation, when given, follows it as GOV.UK
 * service navigation (ServiceNavigation), which root.tsx's call gets through this component.
 * `children` (the phase banner, a sign-out button) come last. All of it is in one `<header>`
 * landmark, as GOV.UK Frontend decided for its next page template (alphagov/govuk-frontend#6460):
 * with the phase banner outside every landmark a screen reader's landmark list skips it.
 */
export function Header({
  serviceName,
  serviceHref = '/',
  navigation = [],
  children,
}: {
  serviceName: string
  serviceHref?: string
  navigation?: NavigationItem[]
  children?: ReactNode
}) {
  return (
    <header>
      <div className="govuk-header" data-module="govuk-header">
        <div className="govuk-header__container govuk-width-container">
          <div className="govuk-header__content">
            <a href={serviceHref} className="govuk-header__link govuk-header__service-name">
              {serviceName}
            </a>
          </div>
        </div>
      </div>
      {navigation.length > 0 ? <ServiceNavigation navigation={navigation} /> : null}
      {children ? <div className="govuk-width-container">{children}</div> : null}
    </header>
  )
}

/**
 * The links under the header in govuk-service-navigation markup. On a phone GOV.UK Frontend's
 * script (started for every page) shows the Menu button and folds the list behind it, so the
 * staff's ten links do not push the page's heading down; without scripts the button stays
 * hidden and the list shows, as GOV.UK intends. The button is only rendered for more than one
 * link, as GOV.UK's template does.
 */
export function ServiceNavigation({ navigation, label = 'Menu' }: { navigation: NavigationItem[]; label?: string }) {
  return (
    <div className="govuk-service-navigation" data-module="govuk-service-navigation">
      <div className="govuk-width-container">
        <div className="govuk-service-navigation__container">
          <nav aria-label={label} className="govuk-service-navigation__wrapper">
            {navigation.length > 1 ? (
              <button
                type="button"
                className="govuk-service-navigation__toggle govuk-js-service-navigation-toggle"
                aria-controls="navigation"
                hidden
                aria-hidden="true"
              >
                {label}
              </button>
            ) : null}
            <ul className="govuk-service-navigation__list" id="navigation">
              {navigation.map((item) => (
                <li
                  key={item.href}
                  className={
                    item.active
                      ? 'govuk-service-navigation__item govuk-service-navigation__item--active'
                      : 'govuk-service-navigation__item'
                  }
                >
                  <a
                    className="govuk-service-navigation__link"
                    href={item.href}
                    aria-current={item.active ? 'page' : undefined}
                  >
                    {item.active ? (
                      // Bold as well as underlined, for people whose own colours hide the marker.
                      <strong className="govuk-service-navigation__active-fallback">{item.text}</strong>
                    ) : (
                      item.text
                    )}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </div>
    </div>
  )
}

/** The phase tag and feedback line under the header (govuk-phase-banner). */
export function PhaseBanner({ phase = 'Beta', children }: { phase?: string; children: ReactNode }) {
  return (
    <div className="govuk-phase-banner">
      <p className="govuk-phase-banner__content">
        <strong className="govuk-tag govuk-phase-banner__content__tag">{phase}</strong>
        <span className="govuk-phase-banner__text">{children}</span>
      </p>
    </div>
  )
}

/**
 * The page footer in govuk-footer markup, without the Open Government Licence and without the
 * crown copyright logo: a list of support links and a short line of text given as children.
 */
export function Footer({ links = [], children }: { links?: FooterLink[]; children?: ReactNode }) {
  const hasText = children !== undefined && children !== null && children !== ''
  return (
    <footer className="govuk-footer">
      <div className="govuk-width-container">
        <div className="govuk-footer__meta">
          <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
            {links.length > 0 ? (
              <>
                <h2 className="govuk-visually-hidden">Support links</h2>
                <ul className="govuk-footer__inline-list">
                  {links.map((link) => (
                    <li key={link.href} className="govuk-footer__inline-list-item">
                      <a className="govuk-footer__link" href={link.href}>
                        {link.text}
                      </a>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {hasText ? <div className="govuk-footer__meta-custom">{children}</div> : null}
          </div>
        </div>
      </div>
    </footer>
  )
}
