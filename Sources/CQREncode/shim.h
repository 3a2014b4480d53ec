// libqrencode (Debian: libqrencode-dev): QR codes for the dashboard's access URL in the terminal.
#include <qrencode.h>
