// "Find an event near you" from the browser's location (peacehub.events). The browser
// asks for the location only when the visitor taps the button; it is rounded to two
// decimals (about a kilometre) before it leaves the phone, and the server keeps none.
(() => {
  const box = document.querySelector("[data-geolocate]");
  if (!box || !("geolocation" in navigator)) {
    return;
  }
  box.hidden = false;
  const status = box.querySelector("[data-geolocate-status]");
  const button = box.querySelector("[data-near-me]");
  button.addEventListener("click", () => {
    status.textContent = box.dataset.waiting;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const url = new URL(box.dataset.url, window.location.href);
        url.searchParams.set("lat", position.coords.latitude.toFixed(2));
        url.searchParams.set("lon", position.coords.longitude.toFixed(2));
        window.location.assign(url.toString());
      },
      () => {
        status.textContent = box.dataset.denied;
        button.disabled = false;
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 },
    );
  });
})();
