// The part of GOV.UK Frontend's JavaScript API we use (the package ships no types).
declare module 'govuk-frontend' {
  interface CreateAllOptions {
    /** where to look for `data-module` elements; the whole document by default */
    scope?: Element | Document | null
    /** called instead of console.log when a component cannot start */
    onError?: (error: unknown, context: { element?: Element }) => void
  }
  export function initAll(config?: CreateAllOptions): void
  export function createAll<T>(
    component: (new (root: Element) => T) & { moduleName: string },
    config?: undefined,
    options?: CreateAllOptions,
  ): T[]
  export function isSupported(scope?: HTMLElement | null): boolean
  /** govuk-button: with data-prevent-double-click, ignores a click within 1 second of the last */
  export class Button {
    static moduleName: string
    constructor(root: Element)
    readonly $root: HTMLElement
    /** the running 1-second timer after a click, if any */
    debounceFormSubmitTimer: number | null
  }
}
