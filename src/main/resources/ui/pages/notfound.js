import { el, replace } from '../dom.js';

export function notFoundPage(ctx) {
  replace(ctx.main, el('h1', {}, 'Page not found'),
    el('p', {}, 'There is no such page. ', el('a', { href: '#/webhooks' }, 'Go to the webhooks')));
}
