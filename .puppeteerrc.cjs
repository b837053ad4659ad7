/**
 * Puppeteer (DAISY Ace's runner in the tests) uses Debian's Chromium, which
 * .ci/run installs, and never downloads a browser of its own — not even from
 * a plain `npm install` without PUPPETEER_SKIP_DOWNLOAD.
 */
module.exports = {
  skipDownload: true,
  executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium',
};
