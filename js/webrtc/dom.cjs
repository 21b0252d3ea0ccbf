'use strict';
// DOM pieces the W3C classes stand on: EventTarget, Event, DOMException (global
// in browsers and in Node >= 17), and `on<event>` handler attributes that
// behave like the platform's (a settable attribute that starts null and
// registers one listener; HTML "event handler IDL attributes").

const handlers = new WeakMap();

/** Defines `on<type>` accessors on `proto` for each event type. */
function defineEventHandlers(proto, types) {
  for (const type of types) {
    Object.defineProperty(proto, `on${type}`, {
      configurable: true,
      enumerable: true,
      get() {
        const map = handlers.get(this);
        return (map && map.get(type)?.handler) ?? null;
      },
      set(value) {
        let map = handlers.get(this);
        if (!map) {
          map = new Map();
          handlers.set(this, map);
        }
        const old = map.get(type);
        if (old) this.removeEventListener(type, old.listener);
        if (typeof value !== 'function' && (typeof value !== 'object' || value === null)) {
          map.delete(type);
          return;
        }
        const entry = {
          handler: value,
          listener: (event) => {
            const h = entry.handler;
            if (typeof h === 'function') return h.call(this, event);
            return undefined;
          },
        };
        map.set(type, entry);
        this.addEventListener(type, entry.listener);
      },
    });
  }
}

function domException(message, name) {
  return new DOMException(message, name);
}

/** Dispatches a plain Event of `type` (no bubbling, not cancelable). */
function fire(target, type) {
  target.dispatchEvent(new Event(type));
}

/** Queues a task (the HTML "queue a task" the W3C algorithms use). */
function queueTask(fn) {
  setTimeout(fn, 0);
}

/**
 * WebIDL integer conversion without [EnforceRange] (3.2.4 ConvertToInt):
 * ToNumber (a BigInt or Symbol is a TypeError), NaN and infinities are 0,
 * truncate, modulo `size`, into the signed range when `signed`.
 */
function wrapInteger(value, size, signed) {
  if (typeof value === 'bigint') throw new TypeError('Cannot convert a BigInt value to a number');
  const n = Number(value);
  if (!Number.isFinite(n)) return 0;
  let t = Math.trunc(n) % size;
  if (t < 0) t += size;
  if (signed && t >= size / 2) t -= size;
  return t === 0 ? 0 : t; // no -0
}

/**
 * WebIDL "invoke a callback function" with `args`: an exception it throws is
 * reported (HTML "report the exception": the page's error event), not
 * turned into a rejection.
 */
function invokeCallback(callback, args) {
  try {
    callback(...args);
  } catch (e) {
    if (typeof globalThis.reportError === 'function') globalThis.reportError(e);
    else queueMicrotask(() => { throw e; });
  }
}

/** WebIDL-ish conversions used by the classes. */
const idl = {
  unsignedShort(value, what) {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new TypeError(`${what} is not a finite number`);
    const t = Math.trunc(n);
    if (t < 0 || t > 65535) throw new TypeError(`${what} is out of range for unsigned short`);
    return t;
  },
  unsignedLong(value, what) {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new TypeError(`${what} is not a finite number`);
    const t = Math.trunc(n);
    if (t < 0 || t > 4294967295) throw new TypeError(`${what} is out of range for unsigned long`);
    return t;
  },
  // WebIDL unsigned long without [EnforceRange]: ToNumber, truncate, modulo 2^32.
  wrapUnsignedLong(value) {
    return wrapInteger(value, 2 ** 32, false);
  },
  // WebIDL unsigned short and long without [EnforceRange] (modulo 2^16, and
  // 2^32 into the signed range).
  wrapUnsignedShort(value) {
    return wrapInteger(value, 2 ** 16, false);
  },
  wrapLong(value) {
    return wrapInteger(value, 2 ** 32, true);
  },
  // A nullable dictionary member: undefined and null are null, anything else converted.
  nullable(value, convert) {
    return value === undefined || value === null ? null : convert(value);
  },
  // A dictionary member that is not nullable: absent (undefined) is null,
  // anything else converted (null too: it is 0 for a number, "null" for a string).
  optional(value, convert) {
    return value === undefined ? null : convert(value);
  },
  // DOMString (WebIDL 3.2.10): ToString, which throws TypeError for a
  // Symbol (String(symbol) would not).
  domString(value) {
    return `${value}`;
  },
  // USVString: lone surrogates become U+FFFD (WebIDL 3.2.11).
  usvString(value) {
    const s = String(value);
    if (typeof s.toWellFormed === 'function') return s.toWellFormed();
    return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  },
  dictionary(value, what) {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' && typeof value !== 'function') throw new TypeError(`${what} must be an object`);
    return value;
  },
  enumValue(value, allowed, what) {
    const s = String(value);
    if (!allowed.includes(s)) throw new TypeError(`The provided value '${s}' is not a valid enum value of type ${what}.`);
    return s;
  },
};

module.exports = {
  defineEventHandlers, domException, fire, queueTask, invokeCallback, idl,
};
