# Conformance: the BROM stage of loboris/RePhone_on_Linux firmwareUploader.py (Stefan Mandl's
# MT2502 host) against one emulated slot: watchdog, PMU, EMI/PSRAM calibration (MBIST sweep),
# RTC power-key latch. The uploader is read from the mirror at run time, never committed.
# Usage: python3 rephone-brom-stage.py <firmwareUploader.py> <slot tty> <control.sock> <slot>
# Prints one JSON line: {"result": "PASS", ...} or {"result": "FAIL", "error": "..."}.
import contextlib, io, json, socket, sys, time

import serial

uploader, port, control, slot = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
source = open(uploader).read().replace("if __name__ == '__main__':", "if False:")
namespace = {'__name__': 'firmwareUploader'}
exec(compile(source, 'firmwareUploader.py', 'exec'), namespace)

h = namespace['MTKFirmwareUploader']()
h.ser = serial.Serial(port, 115200, timeout=5)
# The uploader sends one A0 and expects 5F: power-cycle, then stream A0 into the window.
with socket.socket(socket.AF_UNIX) as c:
    c.connect(control)
    c.sendall((json.dumps({'id': 1, 'op': 'power', 'slot': slot, 'action': 'cycle'}) + '\n').encode())
    c.recv(4096)
h.ser.timeout = 0.02
deadline = time.time() + 10
while time.time() < deadline:
    h.ser.write(b'\xa0')
    if h.ser.read(1) == b'\x5f':
        break
else:
    print(json.dumps({'result': 'FAIL', 'error': 'no 5F to A0 within 10 s'}))
    sys.exit(1)
h.ser.timeout = 5
h.ser.reset_input_buffer()
h.ser.write(b'\x0a\x50\x05')
if h.ser.read(3) != b'\xf5\xaf\xfa':
    print(json.dumps({'result': 'FAIL', 'error': 'handshake'}))
    sys.exit(1)

result = {}
try:
    with contextlib.redirect_stdout(io.StringIO()):
        # The order of the uploader's main() up to the DA upload.
        h.write16(0xa0030000, 0x2200)
        result['hwCode'] = h.read16_old(0x80000008)
        result['efuse'] = h.read32(0xa01c0108)
        for v in (0x41, 0x51, 0x41):
            h.write16(0xa0700f00, v)
        h.write32(0xa0020318, 0x2000)
        h.write32(0xa0020014, 0x2000)
        h.write32(0xa0020c58, 0x700000)
        h.BL_EMI_PSRAM_Calibration()
        h.write32(0xa0050300, 0x0)
        for v in (0x300f0000, 0x700f0000, 0x100f0000):
            h.write32(0xa0050090, v)
        h.BL_PowerUpBaseband()
        result['powerKeys'] = [h.read16_old(0xa0710050), h.read16_old(0xa0710054)]
    result['result'] = 'PASS' if h.flagEMI_Ok else 'FAIL'
except Exception as error:  # the uploader raises plain Exceptions with its own message
    result.update(result='FAIL', error=str(error))
print(json.dumps(result))
