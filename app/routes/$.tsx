// Any URL no other route answers: a 404 through the root route, so the "Page not found" page has
// the same header, banner and footer (with the team's contact details) as every other page.
export async function loader() {
  throw new Response('Not found', { status: 404 })
}

export async function action() {
  throw new Response('Not found', { status: 404 })
}

export default function NotFound() {
  return null
}
