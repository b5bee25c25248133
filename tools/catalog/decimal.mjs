// Exact decimal arithmetic for prices, without floating point and without npm dependencies.

// A decimal is {digits: BigInt, scale}, meaning digits × 10^-scale.

export function parseDecimal(text, what) {
  const m = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new Error(`${what}: '${text}' is not a non-negative decimal`);
  const fraction = m[2] ?? '';
  return { digits: BigInt(m[1] + fraction), scale: fraction.length - Number(m[3] ?? 0) };
}

export function formatDecimal({ digits, scale }) {
  if (digits === 0n) return '0';
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n;
    scale--;
  }
  if (scale <= 0) return (digits * 10n ** BigInt(-scale)).toString();
  const text = digits.toString().padStart(scale + 1, '0');
  return `${text.slice(0, -scale)}.${text.slice(-scale)}`;
}

// Compares two normalised decimal strings numerically.
export function compareDecimal(a, b) {
  const x = parseDecimal(a, 'price');
  const y = parseDecimal(b, 'price');
  const scale = Math.max(x.scale, y.scale);
  const left = x.digits * 10n ** BigInt(scale - x.scale);
  const right = y.digits * 10n ** BigInt(scale - y.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

export function normaliseDecimal(text) {
  return formatDecimal(parseDecimal(text, 'price'));
}

// models.dev prices are JSON numbers, already doubles once parsed. String(n) is the shortest text
// that reads back as the same double, which is the file's literal whenever that literal has at
// most 15 significant digits; refuse anything longer rather than guess. Dividing by a million is
// then a shift of the decimal point: 0.15 -> 0.00000015, never 1.4999999999999999e-7.
export function perMillionToPerToken(value, what) {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`${what}: bad price ${value}`);
  const text = String(value);
  const significant = text.replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '');
  if (significant.length > 15) throw new Error(`${what}: ${text} has too many digits to convert exactly`);
  const decimal = parseDecimal(text, what);
  return formatDecimal({ digits: decimal.digits, scale: decimal.scale + 6 });
}
