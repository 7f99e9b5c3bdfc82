/* Emolytics passkeys (WebAuthn): create one, or sign in / confirm with one.
 *
 * Markup (the page also carries <meta name="csrf-token" content="...">):
 *   <button data-passkey-register data-options-url="..." data-register-url="...">
 *     with an <input data-passkey-name> for its name
 *   <button data-passkey-sign-in data-options-url="..." data-verify-url="...">
 *     with an optional <input type="checkbox" name="remember"> on the page
 *   <p data-passkey-error hidden>   where refusals are shown
 * Each button asks the server for options (POST, JSON), hands them to
 * navigator.credentials.create() or .get() (binary fields travel as base64url), posts the
 * answer back, and follows the "redirect" of the server's answer.
 */
(() => {
  "use strict";

  const toBytes = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  };

  const toText = (buffer) => {
    let binary = "";
    for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };

  const csrfToken = () => {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  };

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {}),
    });
    let answer = {};
    try {
      answer = await response.json();
    } catch (error) {
      answer = {};
    }
    if (!response.ok) {
      const message = answer.error && answer.error.message;
      throw new Error(message || `The server refused the request (${response.status}).`);
    }
    return answer;
  }

  const descriptors = (list) =>
    (list || []).map((item) => ({ ...item, id: toBytes(item.id) }));

  async function register(button) {
    const options = await post(button.dataset.optionsUrl);
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    options.excludeCredentials = descriptors(options.excludeCredentials);
    const credential = await navigator.credentials.create({ publicKey: options });
    const nameInput = document.querySelector("[data-passkey-name]");
    const answer = await post(button.dataset.registerUrl, {
      name: nameInput ? nameInput.value : "",
      credential: {
        id: credential.id,
        rawId: toText(credential.rawId),
        type: credential.type,
        response: {
          clientDataJSON: toText(credential.response.clientDataJSON),
          attestationObject: toText(credential.response.attestationObject),
          transports: credential.response.getTransports ? credential.response.getTransports() : [],
        },
        clientExtensionResults: credential.getClientExtensionResults(),
      },
    });
    window.location.assign(answer.redirect);
  }

  async function signIn(button) {
    const remember = document.querySelector('input[name="remember"]');
    const options = await post(button.dataset.optionsUrl, {
      remember: Boolean(remember && remember.checked),
    });
    options.challenge = toBytes(options.challenge);
    options.allowCredentials = descriptors(options.allowCredentials);
    const credential = await navigator.credentials.get({ publicKey: options });
    const response = credential.response;
    const answer = await post(button.dataset.verifyUrl, {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        authenticatorData: toText(response.authenticatorData),
        signature: toText(response.signature),
        userHandle: response.userHandle ? toText(response.userHandle) : null,
      },
      clientExtensionResults: credential.getClientExtensionResults(),
    });
    window.location.assign(answer.redirect);
  }

  function showError(message) {
    const box = document.querySelector("[data-passkey-error]");
    if (box) {
      box.textContent = message;
      box.hidden = false;
    }
  }

  function wire(selector, action) {
    for (const button of document.querySelectorAll(selector)) {
      if (!window.PublicKeyCredential) {
        button.disabled = true;
        showError("This browser cannot use passkeys.");
        continue;
      }
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          await action(button);
        } catch (error) {
          const cancelled = error && error.name === "NotAllowedError";
          showError(cancelled ? "The passkey request was cancelled or timed out." : error.message);
          button.disabled = false;
        }
      });
    }
  }

  wire("[data-passkey-register]", register);
  wire("[data-passkey-sign-in]", signIn);
})();
