/// The dashboard page, served by the daemon itself: no CDN, no network, works offline.
///
/// Three files: the page (`/`), its style (`/dashboard.css`) and its script (`/dashboard.js`). The
/// script reads `/dashboard/stream` with `EventSource` (which reconnects by itself after the daemon
/// restarts), draws the 10-second traces on a canvas and plays the cues with Web Audio once the
/// page has been tapped. Elements the browser test reads have stable ids: `#rep-count`, `#alert`,
/// `#calibration`, `#last-rep`, `#sensors`, `#conn`, `#clinic` (the person picker `#person-select`,
/// `#person-new`, `#person-set`, `#person-status`; the "now" and "last time" table `#compare`, `#last-note`).
enum DashboardAssets {}

extension DashboardAssets {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="theme-color" content="#111418">
        <title>Lumbar</title>
        <link rel="stylesheet" href="/dashboard.css">
        </head>
        <body>
        <header>
          <span id="conn" class="pill off">connecting…</span>
          <span id="calibration" class="pill">waiting</span>
          <button id="mute" type="button" aria-pressed="false">Sound on</button>
        </header>
        <div id="unlock" role="button">Tap anywhere to enable sound</div>
        <section id="calib-prompt" class="prompt">
          <div id="calib-text">Get into position</div>
          <div class="progress"><div id="calib-progress"></div></div>
        </section>
        <section id="alert" aria-live="assertive"><span id="alert-text">Back moved</span></section>
        <ul id="problems" aria-live="assertive"></ul>
        <main>
          <section class="card" id="reps-card">
            <div class="label" id="rep-label">Reps</div>
            <div id="rep-count" class="huge">0</div>
            <div id="rep-sets" class="small"></div>
            <div id="rep-rejected" class="small muted" aria-live="polite"></div>
          </section>
          <section class="card" id="gauge-card">
            <div class="label">Lower back</div>
            <div id="lumbar-value" class="big">0.0°</div>
            <div id="gauge"><div id="gauge-fill"></div><div id="gauge-limit"></div></div>
            <div class="small" id="gauge-caption">limit –</div>
          </section>
          <section class="card wide" id="traces-card">
            <canvas id="traces" aria-label="leg angle and lumbar deviation, last 10 seconds"></canvas>
          </section>
          <section class="card" id="last-rep">
            <div class="label">Last rep</div>
            <div class="small muted">none yet</div>
          </section>
          <section class="card" id="clinic">
            <div class="label">Person</div>
            <div id="person-picker">
              <select id="person-select" aria-label="person"></select>
              <input id="person-new" type="text" placeholder="New person's name" maxlength="120" hidden>
              <button id="person-set" type="button">Set</button>
            </div>
            <div id="person-status" class="small muted"></div>
            <table id="compare">
              <thead><tr><th></th><th>Now</th><th id="last-head">Last time</th></tr></thead>
              <tbody>
                <tr data-figure="reps"><td>Reps</td><td></td><td></td></tr>
                <tr data-figure="clean"><td>Clean</td><td></td><td></td></tr>
                <tr data-figure="lumbar"><td>Lower back max</td><td></td><td></td></tr>
                <tr data-figure="rom"><td>Range</td><td></td><td></td></tr>
                <tr data-figure="tempo"><td>Up / hold / down</td><td></td><td></td></tr>
              </tbody>
            </table>
            <div id="last-note" class="small muted"></div>
          </section>
          <section class="card" id="sensors-card">
            <div class="label">Sensors</div>
            <ul id="sensors"><li class="muted">no sensor yet</li></ul>
          </section>
        </main>
        <script src="/dashboard.js"></script>
        </body>
        </html>
        """#
}
