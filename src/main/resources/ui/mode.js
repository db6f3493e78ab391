// How the pages are shown: the operator's dashboard, or the customer portal (one application's
// webhooks and deliveries only); readOnly (a read-only portal link) leaves out every control that
// changes something, as the API refuses those changes anyway (403 read_only).
export const mode = { portal: false, readOnly: false };
