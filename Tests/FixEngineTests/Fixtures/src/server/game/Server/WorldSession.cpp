#include "WorldSession.h"

bool WorldSession::Update(uint32 diff, PacketFilter& updater)
{
    WorldPacket* packet = nullptr;
    while (m_Socket && _recvQueue.next(packet, updater))
    {
        ClientOpcodeHandler const* opHandle = opcodeTable[static_cast<OpcodeClient>(packet->GetOpcode())];
        opHandle->Call(this, *packet);
        delete packet;
    }
    return true;
}

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
