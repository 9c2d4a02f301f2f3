import type { Page } from '@playwright/test';

/** Collect every error the page logs or throws; a test ends by expecting none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

export const server = (page: Page, id: number) => page.getByTestId(`server-${id}`);
