#include "WorldSession.h"

void WorldSession::KickPlayer(std::string const& reason)
{
    if (m_Socket)
        m_Socket->CloseSocket();
}

void WorldSession::HandleBotLoginCharacter(ObjectGuid guid)
{
    std::lock_guard<std::recursive_mutex> sessionLock(_sessionMutex);
    std::lock_guard<std::mutex> worldLock(sWorld->GetLoginMutex());
    LoginCharacter(guid);
}

void WorldSession::HandleMoveTeleportAck(WorldPacket& recvData)
{
    ObjectGuid guid;
    recvData >> guid;

    Player* plMover = _player->m_unitMovedByMe->ToPlayer();
    if (!plMover || !plMover->IsBeingTeleportedNear())
        return;

    plMover->SetSemaphoreTeleportNear(false);
}
