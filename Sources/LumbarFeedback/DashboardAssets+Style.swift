extension DashboardAssets {
    /// Big type and strong colours: read from two metres, on a phone lying on the floor.
    static let css = #"""
        :root { --bg:#111418; --card:#1c2128; --text:#f2f4f7; --muted:#8b95a1;
                --green:#2fbf71; --amber:#f5a623; --red:#ff3b30; --blue:#4aa3ff; }
        * { box-sizing: border-box; }
        html, body { margin:0; background:var(--bg); color:var(--text);
                     font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        body { padding: 10px; border: 8px solid transparent; min-height: 100vh; }
        body.alerting { border-color: var(--red); }
        header { display:flex; gap:10px; align-items:center; flex-wrap:wrap; }
        .pill { font-size: 22px; padding: 6px 14px; border-radius: 999px; background: var(--card); }
        .pill.on { background: #173d2a; color: var(--green); }
        .pill.off { background: #3d1717; color: #ff8a80; }
        .pill.calibrated { color: var(--green); }
        #mute { margin-left:auto; font-size: 24px; padding: 10px 18px; border-radius: 12px; border: 0;
                background: var(--card); color: var(--text); }
        #mute[aria-pressed="true"] { color: var(--muted); }
        #unlock { margin: 10px 0; padding: 14px; text-align:center; font-size: 24px; border-radius: 12px;
                  background: #243447; color: var(--blue); cursor: pointer; }
        #unlock.hidden { display:none; }
        .prompt { margin: 10px 0; padding: 18px; border-radius: 16px; background: #3a2f0b; text-align:center; }
        .prompt.hidden { display:none; }
        #calib-text { font-size: clamp(40px, 9vw, 96px); font-weight: 800; color: var(--amber); }
        .progress { height: 16px; background: #00000055; border-radius: 8px; overflow:hidden; margin-top: 8px; }
        #calib-progress { height:100%; width:0%; background: var(--amber); }
        #alert { display:none; margin: 10px 0; padding: 16px; border-radius: 16px; background: var(--red);
                 color: white; text-align:center; font-size: clamp(36px, 8vw, 84px); font-weight: 900; }
        #alert.active { display:block; }
        #problems { margin: 10px 0; padding: 0; list-style: none; }
        #problems li { padding: 10px 14px; border-radius: 12px; background: #4a1414; color: #ffd6d6; font-weight: 700;
                       margin-bottom: 6px; }
        main { display:grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 10px; margin-top: 10px; }
        .card { background: var(--card); border-radius: 16px; padding: 14px 18px; }
        .card.wide { grid-column: 1 / -1; }
        /* A monitor or a tablet on its side: the four cards side by side, the traces under them, no scrolling. */
        @media (min-width: 1200px) and (orientation: landscape) {
          main { grid-template-columns: repeat(4, minmax(0, 1fr)); }
          #traces-card { order: 1; }
          #traces { height: 260px; }
        }
        .label { font-size: 22px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
        .huge { font-size: clamp(110px, 22vw, 220px); font-weight: 900; line-height: 1; }
        .big { font-size: clamp(56px, 11vw, 110px); font-weight: 800; line-height: 1.1; }
        .small { font-size: 22px; }
        .muted { color: var(--muted); }
        #gauge { position: relative; height: 44px; background: #00000055; border-radius: 12px; overflow:hidden; margin: 8px 0; }
        #gauge-fill { position:absolute; left:0; top:0; bottom:0; width:0%; background: var(--green); }
        #gauge-limit { position:absolute; top:0; bottom:0; width:5px; left:66.7%; background: white; }
        .green { color: var(--green); } .amber { color: var(--amber); } .red { color: var(--red); }
        #traces { width: 100%; height: 300px; display:block; }
        #last-rep .rows { display:grid; grid-template-columns: auto auto; gap: 2px 16px; font-size: 26px; margin-top: 6px; }
        #last-rep .title { font-size: 34px; font-weight: 800; }
        .chip { display:inline-block; margin: 6px 6px 0 0; padding: 4px 12px; border-radius: 999px; font-size: 22px;
                background: var(--red); color: white; }
        .chip.ok { background: var(--green); }
        #person-picker { display:flex; gap: 8px; flex-wrap: wrap; margin: 6px 0; }
        #person-picker select, #person-picker input, #person-picker button { font-size: 22px; padding: 6px 10px;
                border-radius: 10px; border: 0; background: #00000055; color: var(--text); }
        #person-picker button { background: #243447; color: var(--blue); }
        #compare { width: 100%; border-collapse: collapse; font-size: 24px; margin-top: 6px; }
        #compare th { text-align: left; color: var(--muted); font-weight: 600; font-size: 20px; }
        #compare td:first-child { color: var(--muted); }
        #compare td, #compare th { padding: 2px 8px 2px 0; }
        #sensors { list-style:none; padding:0; margin: 6px 0 0 0; }
        #sensors li { font-size: 24px; padding: 6px 0; display:flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
        .dot { width: 18px; height: 18px; border-radius: 50%; display:inline-block; background: var(--red); }
        .dot.up { background: var(--green); }
        .dot.weak { background: var(--amber); }
        #sensors li .link, #sensors li .battery { font-weight: 700; }
        #sensors li .chip { font-size: 20px; margin: 0; }
        """#
}
