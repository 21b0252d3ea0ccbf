// Served by test/wpt/run.cjs in place of WPT's /resources/testharnessreport.js.
// Records every subtest (name, status, message) and the harness status in
// window.__wptReport for the runner to read; results arrive one by one, so a
// page the runner gives up on still tells which subtests finished.
// __TIMEOUT_MULTIPLIER__ is filled in by the runner (setup() scales the
// harness and test timeouts, as wptrunner's report script does).
/* global setup, add_test_state_callback, add_result_callback, add_completion_callback */
(function () {
  const STATUS = ['PASS', 'FAIL', 'TIMEOUT', 'NOTRUN', 'PRECONDITION_FAILED'];
  const HARNESS = ['OK', 'ERROR', 'TIMEOUT', 'PRECONDITION_FAILED'];
  const report = { done: false, harness: null, tests: [] };
  window.__wptReport = report;

  function entry(test) {
    // Keyed by the harness's own index: names may repeat within a file.
    if (!report.tests[test.index]) report.tests[test.index] = { name: test.name, status: 'NOTRUN', message: null };
    return report.tests[test.index];
  }

  // Older test files (WPT before 2020) call assert_throws(code, fn) and
  // promise_rejects(t, code, p), which testharness.js has since replaced by
  // assert_throws_dom/_js and promise_rejects_dom/_js. Defined here only
  // where missing, with their old meaning: a string is a DOMException name;
  // an object (new TypeError, new Error) is matched by its name.
  if (typeof window.assert_throws !== 'function') {
    window.assert_throws = function assert_throws(code, fn, description) {
      if (typeof code === 'string') {
        assert_throws_dom(code, fn, description);
        return;
      }
      let thrown = false;
      try {
        fn();
      } catch (e) {
        thrown = true;
        assert_true(typeof e === 'object' && e !== null && e.name === code.name,
          `${description ? `${description}: ` : ''}expected ${code.name}, got ${e && e.name}: ${e && e.message}`);
      }
      assert_true(thrown, `${description ? `${description}: ` : ''}expected ${code.name} to be thrown`);
    };
  }
  if (typeof window.promise_rejects !== 'function') {
    window.promise_rejects = function promise_rejects(test, code, promise, description) {
      return promise.then(test.unreached_func(`Should have rejected: ${description}`),
        (e) => { window.assert_throws(code, () => { throw e; }, description); });
    };
  }

  // ?wpt-only=<name>: register only the promise_test of that name. Promise
  // tests run one after another, so one that times out leaves every later
  // one NOTRUN; the runner uses this to run those alone. test() and
  // async_test() are left alone (they do not wait on each other, and pages
  // use the objects async_test returns).
  const only = new URLSearchParams(location.search).get('wpt-only');
  if (only !== null) {
    const promiseTest = window.promise_test;
    report.only = { name: only, registered: 0 };
    window.promise_test = function (func, name, ...rest) {
      if ((name === undefined ? func && func.name : name) !== only) return undefined;
      report.only.registered++;
      return promiseTest.call(this, func, name, ...rest);
    };
  }

  setup({ output: false, timeout_multiplier: __TIMEOUT_MULTIPLIER__ });
  add_test_state_callback((test) => { entry(test); });
  add_result_callback((test) => {
    Object.assign(entry(test), { status: STATUS[test.status], message: test.message });
  });
  add_completion_callback((tests, status) => {
    for (const test of tests) Object.assign(entry(test), { status: STATUS[test.status], message: test.message });
    report.harness = { status: HARNESS[status.status], message: status.message };
    report.done = true;
  });
}());
