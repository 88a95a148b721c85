/** The way on from a page that ends a family's journey (done, cancelled, link run out, not found): the list of activities. */
export function ActivitiesLink() {
  return (
    <p className="govuk-body">
      <a className="govuk-link" href="/">
        See the activities you can book
      </a>
    </p>
  )
}
