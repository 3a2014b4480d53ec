// LumbarSession: sources (device bytes, recordings, Sample CSV), clock alignment, the one pipeline
// (decode -> align -> fuse -> analyse -> events), the recording format and exports.
