#include "WorldSession.h"

void WorldSession::KickPlayer(std::string const& reason)
{
    if (m_Socket)
        m_Socket->CloseSocket();
}
