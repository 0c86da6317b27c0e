#ifndef __WORLDSESSION_H
#define __WORLDSESSION_H

class TC_GAME_API WorldSession
{
    public:
        WorldSession(uint32 id, std::string&& name);
        void KickPlayer(std::string const& reason);
        void HandleMoveTeleportAck(WorldPacket& recvData);
        void QueuePacket(WorldPacket* new_packet);
        bool Update(uint32 diff, PacketFilter& updater);

    private:
        Player* _player;
};

#endif
