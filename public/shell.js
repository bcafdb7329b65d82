// Removes the static first screen of index.html once the app has mounted. Trunk's loader sets
// window.wasmBindings and then dispatches TrunkApplicationStarted after the wasm has started (and
// so after the app's mount_to_body): whichever of the two this script sees first, the screen goes.
// If the app never starts, the screen with its two calls stays.
(() => {
  const remove = () => document.getElementById('shell')?.remove();
  if (window.wasmBindings) remove();
  else addEventListener('TrunkApplicationStarted', remove, { once: true });
})();
