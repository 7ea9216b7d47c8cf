import { describe, expect, it } from 'vitest';
import { isTrustedExternalLink } from './security';

/** The pages an IAM Identity Center sign-in sends the user to open in the system browser without a dialog, and no more. */
describe('sign-in pages the desktop app opens without asking', () => {
  it('trusts the device verification page of any region and the awsapps.com start pages', () => {
    for (const url of ['https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH', 'https://device.sso.eu-central-2.amazonaws.com/', 'https://d-1234567890.awsapps.com/start/#/device?user_code=ABCD-EFGH', 'https://corp.awsapps.com/start']) {
      expect(isTrustedExternalLink(url), url).toBe(true);
    }
  });

  it('does not trust the rest of amazonaws.com, look-alikes, or http', () => {
    for (const url of ['https://evil.s3.amazonaws.com/device.sso.us-east-1.amazonaws.com', 'https://device.sso.us-east-1.amazonaws.com.evil.example/', 'https://awsapps.com.evil.example/', 'http://corp.awsapps.com/start', 'https://x.device.sso.us-east-1.amazonaws.com/', 'https://user@corp.awsapps.com/']) {
      expect(isTrustedExternalLink(url), url).toBe(false);
    }
  });
});
