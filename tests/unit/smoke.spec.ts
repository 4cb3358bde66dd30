import { test, expect } from '@playwright/test';
test('chromium launches', async ({ page }) => {
  await page.setContent('<p>hi</p>');
  await expect(page.locator('p')).toHaveText('hi');
});
