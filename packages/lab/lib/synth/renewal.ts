/**
 * Certificate renewal as the tls provider does it, for `pgha synth` run "as of" a date: which
 * issue of a certificate is in force at a given time.
 */

/**
 * The clock of a synthesized `pulumi up`: every certificate was first created at `notBefore`,
 * and the deployment has been kept up to date by a `pulumi up` at every renewal date until `now`.
 */
export interface CertificateClock {
  notBefore: Date;
  now: Date;
}

const HOUR_MS = 3600_000;

/**
 * When the certificate in force at `clock.now` was issued, as the tls provider decides: a
 * certificate is ready_for_renewal once `now` is within earlyRenewalHours of its end (or past it),
 * and a `pulumi up` then replaces it, the new one starting at that up. So the issue dates are
 * `since + k * (validity - earlyRenewal)` hours, and `renewals` is that k (0: the first issue).
 * `since` is when the certificate was first created; a leaf is re-issued whenever its CA is, so
 * for a leaf it is the later of the first creation and its CA's start.
 */
export function issuance(
  since: Date,
  now: Date,
  validityPeriodHours: number,
  earlyRenewalHours = 0,
): { notBefore: Date; notAfter: Date; renewals: number; readyForRenewal: boolean } {
  const period = validityPeriodHours - earlyRenewalHours;
  if (!(earlyRenewalHours >= 0) || !(period > 0))
    throw new Error(
      `earlyRenewalHours (${earlyRenewalHours}) must be >= 0 and below validityPeriodHours (${validityPeriodHours}), ` +
        "or every pulumi up would replace the certificate",
    );
  const renewals = now > since ? Math.floor((now.getTime() - since.getTime()) / (period * HOUR_MS)) : 0;
  if (!(Number.isFinite(validityPeriodHours) && validityPeriodHours > 0))
    throw new Error(`validityPeriodHours must be > 0, got ${validityPeriodHours}`);
  const notBefore = new Date(since.getTime() + renewals * period * HOUR_MS);
  const notAfter = new Date(notBefore.getTime() + validityPeriodHours * HOUR_MS);
  return { notBefore, notAfter, renewals, readyForRenewal: now.getTime() >= notAfter.getTime() - earlyRenewalHours * HOUR_MS };
}
