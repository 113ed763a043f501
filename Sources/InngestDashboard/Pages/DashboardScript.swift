/// The dashboard's script: live regions fed by server-sent events, and actions sent to the
/// run-control API as JSON. Values are never inserted as HTML here: a live region receives
/// HTML the server rendered (every value in it escaped), forms send what the user typed.
enum DashboardScript {
    static let js = """
        "use strict";
        (() => {
          const base = document.body.dataset.base || "";

          for (const region of document.querySelectorAll("[data-live]")) {
            if (!region.dataset.live) { continue; }
            const source = new EventSource(region.dataset.live);
            source.onmessage = (message) => {
              if (message.lastEventId && message.lastEventId === region.dataset.liveVersion) { return; }
              region.dataset.liveVersion = message.lastEventId;
              region.innerHTML = message.data;
            };
            source.addEventListener("end", () => source.close());
            // A browser allows few connections per server: a page left behind lets its stream go.
            window.addEventListener("pagehide", () => source.close());
          }

          function showError(near, text) {
            const holder = near && (near.querySelector(".form-error") || near.parentElement && near.parentElement.querySelector(".form-error"));
            if (holder) { holder.textContent = text; } else { alert(text); }
          }

          async function act(url, body, near) {
            let response;
            try {
              response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "same-origin" });
            } catch (error) {
              showError(near, "The server could not be reached: " + error);
              return;
            }
            const answer = await response.json().catch(() => ({}));
            if (!response.ok) { showError(near, answer.error || response.statusText); return; }
            const data = answer.data || {};
            if (data.run_id) { location.href = base + "/runs/" + encodeURIComponent(data.run_id); return; }
            if (answer.ids && answer.ids.length === 1) { location.href = base + "/events/" + encodeURIComponent(answer.ids[0]); return; }
            location.reload();
          }

          document.addEventListener("click", (event) => {
            const button = event.target.closest("button[data-post]");
            if (!button) { return; }
            event.preventDefault();
            let body = {};
            if (button.dataset.body) {
              try { body = JSON.parse(button.dataset.body); } catch (error) { showError(button, "Bad action: " + error); return; }
            }
            act(button.dataset.post, body, button.parentElement);
          });

          document.addEventListener("submit", (event) => {
            const form = event.target.closest("form[data-api]");
            if (!form) { return; }
            event.preventDefault();
            const body = {};
            for (const field of form.querySelectorAll("input[name], textarea[name], select[name]")) {
              if (field.hasAttribute("data-json")) {
                const text = field.value.trim() || "{}";
                let value;
                try { value = JSON.parse(text); } catch (error) {
                  showError(form, "\\"" + field.name + "\\" is not valid JSON: " + error.message + ". Nothing was sent.");
                  return;
                }
                if (value === null || typeof value !== "object" || Array.isArray(value)) {
                  showError(form, "\\"" + field.name + "\\" must be a JSON object. Nothing was sent.");
                  return;
                }
                body[field.name] = value;
              } else {
                body[field.name] = field.value;
              }
            }
            showError(form, "");
            act(form.dataset.api, body, form);
          });
        })();
        """
}
