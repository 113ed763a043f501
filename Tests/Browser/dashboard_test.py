"""The dashboard of `inngest dev`, in headless Chromium driven by Selenium.

Starts `inngest dev` (state in memory) and the Python interop app (official SDK), which
syncs with it; then, as a person would in the browser: sends an event through the form and
sees its run appear on the runs page without reloading, opens the run and finds its steps on
the timeline, watches a waiting run's page turn completed without reloading, cancels a sleeping run, reruns a run from a step and finds the new run with the
earlier step reused, and checks that a payload holding markup is shown as text. Also checks
the server refuses actions from another site and requests for another host name.

Prints `N passed, N failed` and exits non-zero when any check failed.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

WAIT = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, text.decode(errors="replace")


def wait_until(what, condition, timeout=WAIT):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting until {what}")


class Session:
    def __init__(self, inngest, app):
        self.logs = tempfile.mkdtemp(prefix="inngest-browser-")
        self.dev_port, self.app_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.dev_port}"
        app_url = f"http://127.0.0.1:{self.app_port}/api/inngest"
        self.processes = []
        self.dev_log = open(os.path.join(self.logs, "dev.log"), "w")
        self.processes.append(
            subprocess.Popen(
                [inngest, "dev", "--in-memory", "--port", str(self.dev_port), "--retry-base", "1", "-u", app_url],
                stdout=self.dev_log, stderr=subprocess.STDOUT))
        env = dict(os.environ, PY_PORT=str(self.app_port), INNGEST_BASE_URL=self.base, INNGEST_EVENT_KEY="browser-key")
        self.processes.append(
            subprocess.Popen([sys.executable, app], env=env, stdout=open(os.path.join(self.logs, "app.log"), "w"), stderr=subprocess.STDOUT))
        wait_until("the Python app is synced", lambda: self.synced(), timeout=60)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1100"]:
            options.add_argument(argument)
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)

    def synced(self):
        try:
            status, body = http("GET", f"{self.base}/v1/functions")
        except OSError:
            return False
        return status == 200 and any(f["id"] == "my-python-app-multi-step" for f in body["data"])

    def close(self):
        """Stops everything; returns the dev server's exit status after SIGTERM (None: it had to be killed)."""
        try:
            self.driver.quit()
        except Exception:
            pass
        for process in self.processes:
            process.terminate()
        statuses = []
        for process in self.processes:
            try:
                statuses.append(process.wait(10))
            except subprocess.TimeoutExpired:
                process.kill()
                statuses.append(None)
        return statuses[0]

    # Browser helpers

    def open(self, path):
        self.driver.get(self.base + path)

    def find(self, css):
        return WebDriverWait(self.driver, WAIT).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def click(self, css):
        """Clicks the element; again when a live update replaced it between finding and clicking."""
        for _ in range(20):
            try:
                self.find(css).click()
                return
            except (StaleElementReferenceException, WebDriverException) as error:
                # Chromium reports a replaced node either way.
                if not isinstance(error, StaleElementReferenceException) and "does not belong to the document" not in str(error):
                    raise
                time.sleep(0.05)
        raise AssertionError(f"{css} kept being replaced")

    def wait_text(self, css, text):
        WebDriverWait(self.driver, WAIT).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))

    def send_through_form(self, name, data_text, accepted=True):
        self.open("/events")
        form = self.find("form[data-label=send-event]")
        form.find_element(By.NAME, "name").send_keys(name)
        area = form.find_element(By.NAME, "data")
        area.clear()
        area.send_keys(data_text)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        if accepted:
            # The page goes on to the event's page; wait for it, so no later navigation races it.
            WebDriverWait(self.driver, WAIT).until(lambda d: "/events/" in d.current_url)
            self.find("a.mono[href*='/runs/']")

    def run_ids(self, function):
        status, body = http("GET", f"{self.base}/v1/runs?function_id={function}&limit=500")
        assert status == 200, body
        return [run["run_id"] for run in body["data"]]


def check_send_event_and_see_the_run_live(s):
    s.open("/runs")
    s.find("table.runs")
    runs_tab = s.driver.current_window_handle
    before = set(s.run_ids("my-python-app-multi-step"))
    s.driver.switch_to.new_window("tab")
    # The send leads to the event's page, which names the run it started.
    s.send_through_form("test/multi-step", '{"note": "from the browser"}')
    new = wait_until("the event started a run", lambda: set(s.run_ids("my-python-app-multi-step")) - before)
    run_id = new.pop()
    s.driver.close()
    s.driver.switch_to.window(runs_tab)
    # The runs page was not reloaded: the row comes over the live stream, and turns completed.
    marker = s.driver.execute_script("window.__notReloaded = true; return 1")
    assert marker == 1
    s.wait_text(f"tr[data-run='{run_id}']", "completed")
    assert s.driver.execute_script("return window.__notReloaded === true"), "the runs page reloaded instead of updating live"
    return run_id


def check_the_run_page_shows_the_steps_on_the_timeline(s, run_id):
    s.open(f"/runs/{run_id}")
    s.wait_text("[data-run-status]", "completed")
    lanes = [lane.get_attribute("data-step") for lane in s.driver.find_elements(By.CSS_SELECTOR, "[data-timeline] .lane")]
    assert lanes == ["first-step", "pause", "second-step"], lanes
    bars = s.driver.find_elements(By.CSS_SELECTOR, "[data-timeline] rect.bar")
    widths = [float(bar.get_attribute("width")) for bar in bars]
    xs = [float(bar.get_attribute("x")) for bar in bars]
    # Drawn to scale: the one-second sleep is the widest bar and the steps follow each other.
    assert widths[1] == max(widths), widths
    assert xs[0] <= xs[1] <= xs[2], xs
    output = s.find("[data-run-output]").text
    assert "\"step\": 2" in output, output


def check_markup_in_a_payload_is_shown_as_text(s):
    payload = '{"note": "<script>window.__xss = 1</script><img src=x onerror=\\"window.__xss = 2\\">"}'
    before = set(s.run_ids("my-python-app-multi-step"))
    s.send_through_form("test/multi-step", payload)
    new = wait_until("the event started a run", lambda: set(s.run_ids("my-python-app-multi-step")) - before)
    run_id = new.pop()
    s.open(f"/runs/{run_id}")
    s.find("[data-timeline]")
    events = " ".join(pre.text for pre in s.driver.find_elements(By.CSS_SELECTOR, "pre.json"))
    assert "<script>window.__xss = 1</script>" in events, events
    assert s.driver.execute_script("return window.__xss === undefined"), "markup from the event ran in the page"
    assert not s.driver.find_elements(By.CSS_SELECTOR, "main img"), "markup from the event became an element"


def check_invalid_json_in_a_form_is_refused_at_the_form(s):
    # Counted by name: runs that end meanwhile add their own inngest/function.finished events.
    status, body = http("GET", f"{s.base}/v1/events?name=test/multi-step&limit=500")
    count = len(body["data"])
    s.send_through_form("test/multi-step", '{"note": ', accepted=False)
    s.wait_text("form[data-label=send-event] .form-error", "not valid JSON")
    time.sleep(0.5)
    status, body = http("GET", f"{s.base}/v1/events?name=test/multi-step&limit=500")
    assert len(body["data"]) == count, "an event was sent despite the invalid JSON"


def check_cancel_a_sleeping_run(s):
    before = set(s.run_ids("my-python-app-long-nap"))
    status, body = http("POST", f"{s.base}/v1/events", {"name": "test/long-nap", "data": {}})
    assert status == 200, body
    run_id = wait_until("the sleeping run exists", lambda: set(s.run_ids("my-python-app-long-nap")) - before).pop()
    s.open(f"/runs/{run_id}")
    s.wait_text("[data-run-status]", "waiting")
    s.wait_text("[data-timeline] .lane[data-step='nap']", "sleeping until")
    s.click("button[data-label=cancel-run]")
    s.wait_text("[data-run-status]", "cancelled")
    status, body = http("GET", f"{s.base}/v1/runs/{run_id}")
    assert body["data"]["status"] == "Cancelled", body


def check_bulk_cancel_of_the_runs_a_filter_matches(s):
    status, body = http("POST", f"{s.base}/v1/events", [{"name": "test/long-nap", "data": {"n": n}} for n in range(3)])
    assert status == 200, body
    def sleeping():
        status, body = http("GET", f"{s.base}/v1/runs?function_id=my-python-app-long-nap&status=waiting")
        return len(body["data"]) >= 3 and body["data"]
    wait_until("three runs sleep", sleeping)
    other = http("POST", f"{s.base}/v1/events", {"name": "test/wait-for-post", "data": {"user": {"id": "not-this-one"}}})
    assert other[0] == 200, other
    s.open("/runs?function_id=my-python-app-long-nap&status=waiting")
    s.driver.execute_script("window.__beforeAction = true")
    s.click("button[data-label=cancel]")
    # The page reloads once the action answered: let it, so the next check's navigation is not
    # overtaken by this reload.
    def reloaded():
        try:
            return s.driver.execute_script("return window.__beforeAction === undefined")
        except WebDriverException:  # the old document went away mid-call
            return False
    wait_until("the page reloaded after the action", reloaded)
    def none_left():
        status, body = http("GET", f"{s.base}/v1/runs?function_id=my-python-app-long-nap&status=waiting")
        return body["data"] == []
    wait_until("no long-nap run sleeps", none_left)
    status, body = http("GET", f"{s.base}/v1/runs?function_id=my-python-app-long-nap&status=cancelled")
    assert len(body["data"]) >= 3, body
    # A run the filter does not match is left alone.
    status, body = http("GET", f"{s.base}/v1/runs?function_id=my-python-app-wait-for-post&status=cancelled")
    assert all(run["event_id"] != other[1]["ids"][0] for run in body["data"]), body


def check_the_run_page_updates_live_as_the_run_goes_on(s):
    before = set(s.run_ids("my-python-app-wait-for-post"))
    status, body = http("POST", f"{s.base}/v1/events", {"name": "test/wait-for-post", "data": {"user": {"id": "live"}}})
    assert status == 200, body
    run_id = wait_until("the waiting run exists", lambda: set(s.run_ids("my-python-app-wait-for-post")) - before).pop()
    s.open(f"/runs/{run_id}")
    s.wait_text("[data-run-status]", "waiting")
    waits = s.find("details[data-step-detail='wait-for-post']").get_attribute("textContent")
    assert "event app/post.created if event.data.user.id == async.data.user.id" in waits, waits
    s.driver.execute_script("window.__notReloaded = true")
    status, body = http("POST", f"{s.base}/v1/events", {"name": "app/post.created", "data": {"user": {"id": "live"}, "title": "hello"}})
    assert status == 200, body
    s.wait_text("[data-run-status]", "completed")
    assert s.driver.execute_script("return window.__notReloaded === true"), "the run page reloaded instead of updating live"
    assert '"timedOut": false' in s.find("[data-run-output]").text


def check_rerun_from_a_step_reuses_the_steps_before_it(s, run_id):
    s.open(f"/runs/{run_id}")
    s.wait_text("[data-run-status]", "completed")
    step = s.find("details[data-step-detail='second-step']")
    s.driver.execute_script("arguments[0].open = true", step)
    step.find_element(By.CSS_SELECTOR, "button[data-label=rerun-from]").click()
    WebDriverWait(s.driver, WAIT).until(lambda d: run_id not in d.current_url and "/runs/" in d.current_url)
    new_run = s.driver.current_url.rsplit("/", 1)[-1]
    s.wait_text("[data-run-status]", "completed")
    assert run_id in s.find("dl.facts").text, "the new run does not name the run it reruns"
    reused = [d.get_attribute("data-step-detail") for d in s.driver.find_elements(By.CSS_SELECTOR, "details.step") if d.find_elements(By.CSS_SELECTOR, ".tag")]
    assert reused == ["first-step", "pause"], reused
    status, original = http("GET", f"{s.base}/v1/runs/{run_id}")
    status, rerun = http("GET", f"{s.base}/v1/runs/{new_run}")
    first = [step for step in rerun["data"]["steps"] if step["name"] == "first-step"][0]
    original_first = [step for step in original["data"]["steps"] if step["name"] == "first-step"][0]
    assert first["output"] == original_first["output"] and first["ended_at"] == original_first["ended_at"], (first, original_first)
    return new_run


def check_another_site_cannot_act_or_read(s, run_id):
    status, body = http("POST", f"{s.base}/v1/runs/{run_id}/rerun", {}, headers={"Origin": "http://evil.example"})
    assert status == 403, (status, body)
    status, body = http("GET", f"{s.base}/v1/runs", headers={"Host": "evil.example:8288"})
    assert status == 403, (status, body)
    # A form post of another site (not JSON) is refused too.
    request = urllib.request.Request(f"{s.base}/v1/runs/{run_id}/rerun", data=b"a=1", method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("a form post was accepted")
    except urllib.error.HTTPError as error:
        assert error.code == 415, error.code


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--inngest", required=True)
    parser.add_argument("--app", required=True)
    arguments = parser.parse_args()
    session = Session(arguments.inngest, arguments.app)
    passed, failed = 0, 0

    def check(name, function, *args):
        nonlocal passed, failed
        started = time.time()
        try:
            result = function(session, *args)
            passed += 1
            print(f"ok   {name} ({time.time() - started:.1f} s)", flush=True)
            return result
        except Exception:
            failed += 1
            print(f"FAIL {name}", flush=True)
            traceback.print_exc()
            try:
                session.driver.save_screenshot(os.path.join(session.logs, f"{name}.png"))
            except Exception:
                pass
            return None

    try:
        run_id = check("send an event through the form and see the run appear live", check_send_event_and_see_the_run_live)
        if run_id:
            check("the run page shows the steps on a timeline to scale", check_the_run_page_shows_the_steps_on_the_timeline, run_id)
        check("markup in a payload is shown as text", check_markup_in_a_payload_is_shown_as_text)
        check("invalid JSON in a form is refused at the form", check_invalid_json_in_a_form_is_refused_at_the_form)
        check("cancel a sleeping run", check_cancel_a_sleeping_run)
        check("bulk cancel of the runs a filter matches", check_bulk_cancel_of_the_runs_a_filter_matches)
        check("the run page updates live as the run goes on", check_the_run_page_updates_live_as_the_run_goes_on)
        if run_id:
            rerun = check("rerun from a step reuses the steps before it", check_rerun_from_a_step_reuses_the_steps_before_it, run_id)
            check("another site can neither act nor read", check_another_site_cannot_act_or_read, run_id)
            screenshot = os.environ.get("DASHBOARD_SCREENSHOT")
            if screenshot and rerun:
                session.open(f"/runs/{run_id}")
                session.wait_text("[data-run-status]", "completed")
                session.driver.save_screenshot(screenshot)
                print(f"screenshot of the run page: {screenshot}")
    finally:
        dev_status = session.close()
        # SIGTERM is a graceful shutdown: the run log stops after the engine, and the server exits 0.
        if dev_status == 0:
            passed += 1
            print("ok   inngest dev exits 0 on SIGTERM")
        else:
            failed += 1
            print(f"FAIL inngest dev exits 0 on SIGTERM (status {dev_status}; None: still running after 10 s)")
        # The dev server printed a line per finished run (its run log).
        with open(os.path.join(session.logs, "dev.log")) as log:
            lines = [line for line in log if line.startswith("✓ ")]
        if not any("my-python-app-multi-step" in line and " steps " in line for line in lines):
            failed += 1
            print("FAIL inngest dev printed a line for each finished run")
        else:
            passed += 1
            print(f"ok   inngest dev printed a line for each finished run ({len(lines)} lines, e.g. {lines[0].strip()})")
        if failed:
            print(f"logs kept in {session.logs}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
