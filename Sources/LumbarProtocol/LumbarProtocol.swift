// LumbarProtocol: the sensor wire format (firmware-protocol/PROTOCOL.md): packets, COBS framing, CRC,
// the streaming frame decoder and the encoder. Pure: no I/O, no clocks, no allocation per sample.
